using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VptSp.Core.Data;
using VptSp.Core.Data.Images;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;
using VptSp.Web.Apis;
using VptSp.Runs;
using VptSp.Web.Services.Retrieval;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>The one exception → ProblemDetails table, and what a client sees of an unexpected error.</summary>
public sealed class ErrorMappingTests : IAsyncLifetime
{
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    public static TheoryData<Exception, int> Table() => new()
    {
        { new RunNotFoundException(3), 404 },
        { new RunFileNotFoundException(3, "x"), 404 },
        { new GalleryImageNotFoundException(3, 9, 4), 404 },
        { new ImageRejectedException(ImageRejectionReason.TooLarge, "big"), 413 },
        { new ImageRejectedException(ImageRejectionReason.NotAnImage, "text"), 415 },
        { new ImageRejectedException(ImageRejectionReason.Truncated, "cut"), 400 },
        { new ConfigException("lr", "must be positive"), 400 },
        { new InvalidRunInputException("k", "bad k"), 400 },
        { new UnsupportedMediaTypeException("image", "json"), 415 },
        { new FormatException("bad"), 400 },
        { new ArgumentException("bad"), 400 },
        { new RunStateConflictException("running"), 409 },
        { new SearchBusyException("busy"), 503 },
        { new DatasetLayoutException("no images"), 409 },
        { new InvalidDataException("not safetensors"), 409 },
        { new CheckpointMismatchException("c", ["a"], [], []), 409 },
        { new NullReferenceException("bug"), 500 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void EachExceptionTypeHasOneStatus(Exception exception, int status)
    {
        Assert.Equal(status, ApiProblems.For(exception, development: false).Status);
        Assert.Equal(status, ApiProblems.For(exception, development: true).Status);
    }

    [Fact]
    public void ClientErrorsKeepTheirUserMessageAndNameTheirKey()
    {
        var p = ApiProblems.For(new ConfigException("lr", "must be positive"), development: false);
        Assert.Equal("config key 'lr': must be positive", p.Detail);
        Assert.Equal("lr", p.Extensions["key"]);
    }

    /// <summary>An <see cref="IRunService"/> whose every call throws what the test chose.</summary>
    public class ThrowingRunService : DispatchProxy
    {
        public Exception ToThrow { get; set; } = new InvalidOperationException();
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw ToThrow;
    }

    private HttpClient ClientThrowing(Exception exception, string environment)
    {
        var proxy = DispatchProxy.Create<IRunService, ThrowingRunService>();
        ((ThrowingRunService)(object)proxy).ToThrow = exception;
        return _factory.WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.ConfigureTestServices(s =>
            {
                s.RemoveAll<IRunService>();
                s.AddSingleton(proxy);
            });
        }).CreateClient();
    }

    [Fact]
    public async Task AnUnexpectedErrorShowsNoTypeMessageOrStackTraceOutsideDevelopment()
    {
        using var http = ClientThrowing(new InvalidCastException("secret-internal-detail"), "Production");
        var response = await http.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(ApiProblems.ServerErrorTitle, body);
        Assert.DoesNotContain("InvalidCast", body);
        Assert.DoesNotContain("secret-internal-detail", body);
        Assert.DoesNotContain(" at ", body);
        Assert.DoesNotContain("stackTrace", body);
    }

    [Fact]
    public async Task InDevelopmentAnUnexpectedErrorCarriesItsTypeAndMessage()
    {
        using var http = ClientThrowing(new InvalidCastException("secret-internal-detail"), "Development");
        var response = await http.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("System.InvalidCastException", body);
        Assert.Contains("secret-internal-detail", body);
    }

    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/runs/5")]
    [InlineData("/api/runs/5/metrics")]
    [InlineData("/api/runs.csv")]
    public async Task TheSameExceptionGetsTheSameStatusOnEveryRoute(string path)
    {
        using var http = ClientThrowing(new RunStateConflictException("it is running"), "Production");
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = await response.ProblemAsync();
        Assert.Equal("it is running", problem.RootElement.GetProperty("detail").GetString());
    }
}

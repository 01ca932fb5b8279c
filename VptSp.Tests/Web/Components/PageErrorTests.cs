using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;
using VptSp.Runs;
using VptSp.Web.Components.Pages.Launch;
using VptSp.Web.Components.Pages.Runs;
using VptSp.Web.Services.Errors;

namespace VptSp.Tests.Web.Components;

/// <summary>Pages show a user's error as its message and a server fault as a generic text, logged (<see cref="PageErrors"/>).</summary>
[Collection("bunit-pages")]
public sealed class PageErrorTests : PageTestContext
{
    private readonly RecordingLogger _log = new();

    public PageErrorTests() => Services.AddSingleton(new PageErrors(_log));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheDemoButtonShowsAUsersErrorAndHidesAServerFault(bool usersFault)
    {
        Exception failure = usersFault ? new RunStateConflictException("the queue is closed for maintenance")
            : new InvalidOperationException("secret-internal-detail");
        RunService.FailSubmitWith = failure;
        var page = RenderPage<RunsPage>();

        await page.Find(".quick-demo-button").ClickAsync(new());

        var expected = "Could not queue the demo: " + (usersFault ? failure.Message : ErrorPolicy.ServerErrorText);
        await page.WaitForAssertionAsync(() => Assert.Contains(expected, Markup()));
        Assert.DoesNotContain("secret-internal-detail", Markup());
        Assert.Equal(usersFault ? 0 : 1, _log.Errors.Count(e => e == failure));
    }

    [Fact]
    public async Task CloningAMissingRunSaysSoOnTheLaunchPage()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/launch?clone=987");
        var page = RenderPage<LaunchPage>();
        await page.WaitForAssertionAsync(() => Assert.Contains("Cannot clone: run 987 does not exist.", page.Find(".load-error").TextContent));
        Assert.Empty(_log.Errors);
    }

    // the snackbar renders outside the page: read what it was given
    private string Markup() => string.Join("\n", Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message));

    private sealed class RecordingLogger : ILogger<PageErrors>
    {
        public List<Exception> Errors { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null) lock (Errors) Errors.Add(exception);
        }
    }
}

using Microsoft.AspNetCore.Http;
using VptSp.Core.Data;
using VptSp.Core.Data.Images;
using VptSp.Core.Diagnostics;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Web.Apis;
using VptSp.Web.Services.Errors;
using VptSp.Web.Services.Experiments;
using VptSp.Web.Services.Retrieval;

namespace VptSp.Tests.Web.Functional;

/// <summary>The one error policy: each exception type's status and whether its message is shown, on the web and in Core.</summary>
public sealed class ErrorPolicyTests
{
    public static TheoryData<Exception, int, bool> Table() => new()
    {
        { new RunNotFoundException(3), 404, true },
        { new RunFileNotFoundException(3, "x"), 404, true },
        { new GalleryImageNotFoundException(3, 9, 4), 404, true },
        { new SweepNotFoundException(2), 404, true },
        { new ImageRejectedException(ImageRejectionReason.TooLarge, "big"), 413, true },
        { new ConfigException("lr", "must be positive"), 400, true },
        { new InvalidRunInputException("k", "bad k"), 400, true },
        { new InvalidSweepException("mode", "bad mode"), 400, true },
        { new UnsupportedMediaTypeException("image", "json"), 415, true },
        { new ArgumentException("bad"), 400, true },
        { new FormatException("bad"), 400, true },
        { new RunStateConflictException("running"), 409, true },
        { new SearchBusyException("busy"), 503, true },
        { new BadHttpRequestException("bad", 431), 431, true },
        { new DatasetLayoutException("no images"), 409, true },
        { new IOException("disk gone"), 409, true },
        { new UnauthorizedAccessException("denied"), 409, true },
        { new CheckpointMismatchException("c", ["a"], [], []), 409, true },
        { new UserFacingException("nothing to resume"), 409, true },
        { new InvalidOperationException("a bug"), 500, false },
        { new NullReferenceException("a bug"), 500, false },
        { new KeyNotFoundException("a bug"), 500, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void EachExceptionTypeHasOneStatusAndVisibility(Exception exception, int status, bool forUsers)
    {
        var verdict = ErrorPolicy.For(exception);
        Assert.Equal(status, verdict.Status);
        Assert.Equal(forUsers, verdict.ForUsers);
        Assert.Equal(forUsers ? exception.Message : ErrorPolicy.ServerErrorText, ErrorPolicy.UserMessage(exception));
        Assert.Equal(status, ApiProblems.For(exception, development: false).Status);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void TheWebAndTheCliAgreeOnWhoseFaultItIs(Exception exception, int _, bool forUsers)
    {
        Assert.Equal(forUsers, UserErrors.IsForUsers(exception));
        Assert.Equal(forUsers, !UserErrors.OneLine(exception).StartsWith("unexpected error", StringComparison.Ordinal));
    }

    [Fact]
    public void AServerFaultShowsNeitherItsMessageNorItsTypeOutsideDevelopment()
    {
        var problem = ApiProblems.For(new InvalidOperationException("secret-internal-detail"), development: false);
        Assert.Equal(ErrorPolicy.ServerErrorTitle, problem.Title);
        Assert.Null(problem.Detail);
        Assert.Empty(problem.Extensions);
    }
}

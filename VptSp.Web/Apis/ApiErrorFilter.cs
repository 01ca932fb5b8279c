using VptSp.Core.Training;
using VptSp.Web.Services;
using VptSp.Web.Services.Runs;

namespace VptSp.Web.Apis;

/// <summary>Maps the run services' exceptions to ProblemDetails: unknown id → 404, invalid input → 400 naming the key or field, wrong state → 409.</summary>
internal sealed class ApiErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RunNotFoundException ex)
        {
            return TypedResults.Problem(title: "Run not found", detail: ex.Message, statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["runId"] = ex.Id });
        }
        catch (ConfigException ex)
        {
            return TypedResults.Problem(title: "Invalid config", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["key"] = ex.Key });
        }
        catch (InvalidRunInputException ex)
        {
            return TypedResults.Problem(title: "Invalid request", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["field"] = ex.Field });
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return TypedResults.Problem(title: "Invalid request", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (RunStateConflictException ex)
        {
            return TypedResults.Problem(title: "Not possible in the run's current status", detail: ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }
}

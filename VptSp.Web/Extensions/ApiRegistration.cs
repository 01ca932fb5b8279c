using Microsoft.AspNetCore.Http.Json;
using VptSp.Web.Apis;
using VptSp.Web.Hubs;
using VptSp.Web.Options;
using VptSp.Web.Security;

namespace VptSp.Web.Extensions;

public static class ApiRegistration
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>OpenAPI, ProblemDetails, SignalR, request limits and the access-token policy.</summary>
    public static WebApplicationBuilder AddApiAndSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOpenApi();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 32 * 1024);
        services.AddHostedService<TrainingHubRelay>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.Configure<JsonOptions>(o => o.SerializerOptions.MaxDepth = 16);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<AccessPolicy>();
        services.AddHostedService<StartupBanner>();
        return builder;
    }

    /// <summary>/api/*, /openapi/v1.json and the hub at /hubs/training.</summary>
    public static WebApplication MapVptSpApis(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapRunsApi();
        app.MapCatalogApi();
        app.MapSearchApi();
        app.MapExperimentsApi();
        app.MapHub<TrainingHub>(TrainingHub.Path);
        return app;
    }

    public static bool IsApiOrHub(this HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs")
        || context.Request.Path.StartsWithSegments("/openapi");
}

using Microsoft.AspNetCore.Diagnostics;
using VptSp.Web.Apis;
using VptSp.Web.Components;
using VptSp.Web.Security;

namespace VptSp.Web.Extensions;

public static class PipelineConfiguration
{
    public static WebApplication UseVptSpPipeline(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        // API and hub errors, in every environment: ApiExceptionHandler writes the ProblemDetails ApiProblems names
        app.UseWhen(c => c.IsApiOrHub(), api => api.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = c => !ApiExceptionHandler.IsServerError(c.Exception),
        }));
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // API and hub responses without a body get ProblemDetails instead of the not-found page.
        app.UseWhen(c => c.IsApiOrHub(), api =>
        {
            api.Use((context, next) =>
            {
                if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                return next(context);
            });
            api.UseStatusCodePages();
        });
        app.UseMiddleware<CrossSiteGuardMiddleware>();
        app.UseMiddleware<TokenAuthenticationMiddleware>();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapVptSpApis();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

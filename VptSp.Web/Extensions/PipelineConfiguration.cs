using VptSp.Web.Components;
using VptSp.Web.Security;

namespace VptSp.Web.Extensions;

public static class PipelineConfiguration
{
    public static WebApplication UseVptSpPipeline(this WebApplication app)
    {
        // API and hub errors are ProblemDetails; pages get the error and not-found pages.
        app.UseWhen(c => c.IsApiOrHub(), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(c => !c.IsApiOrHub(), pages =>
        {
            if (!app.Environment.IsDevelopment())
                pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        app.UseMiddleware<TokenAuthenticationMiddleware>();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapVptSpApis();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

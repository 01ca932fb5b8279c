using MudBlazor.Services;

namespace VptSp.Web.Extensions;

public static class ServiceRegistration
{
    public static WebApplicationBuilder AddVptSpServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddProblemDetails();
        builder.AddRunPlatform();
        builder.AddRetrieval();
        builder.AddApiAndSecurity();
        return builder;
    }
}

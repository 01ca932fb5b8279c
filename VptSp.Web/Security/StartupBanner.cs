using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace VptSp.Web.Security;

/// <summary>Prints the dashboard URL once the server listens (with the token when one is required and was generated).</summary>
internal sealed class StartupBanner(IServer server, AccessPolicy policy, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    private void Print()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        policy.ObserveListeningAddresses(addresses);
        foreach (var address in addresses)
        {
            var url = address.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost").Replace("://+", "://localhost").Replace("://*", "://localhost");
            Console.WriteLine(policy.Required && policy.TokenWasGenerated
                ? $"VptSp dashboard: {url}/?token={policy.Token}"
                : $"VptSp dashboard: {url}");
        }
        if (policy.Required && !policy.TokenWasGenerated)
            Console.WriteLine("VptSp: access needs the token configured in Security:Token (open the URL with ?token=…)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using VptSp.Core.Training;
using VptSp.Web.Components.Pages.Launch;

namespace VptSp.Tests.Web.Components;

[Collection("bunit-pages")]
public sealed class LaunchPageTests : PageTestContext
{
    private static string FieldError(IRenderedComponent<LaunchPage> page, string key) =>
        page.Find($".config-field[data-key='{key}']").QuerySelector(".mud-input-helper-text.mud-input-error, .field-error")?.TextContent.Trim() ?? "";

    private static void Type(IRenderedComponent<LaunchPage> page, string key, string value) =>
        page.Find($"input[name='{key}']").Change(value);

    [Fact]
    public void FormStartsFromTheDefaultPresetWithEveryGroup()
    {
        var page = RenderPage<LaunchPage>();

        Assert.Contains("from preset emoji_vptsp_g", page.Find(".launch-source").TextContent);
        var preset = RunService.ConfigPresets.Load("emoji_vptsp_g");
        Assert.Equal(preset.BatchSize.ToString(), page.Find("input[name='batch_size']").GetAttribute("value"));
        foreach (var group in ConfigKeyGroups.All) Assert.Contains(group.Title, page.Markup);
        // Help text from ConfigKeys is shown with the field.
        Assert.Contains("Mini-batch size", page.Find(".config-field[data-key='batch_size']").TextContent);
    }

    [Fact]
    public async Task BadValueShowsTheConfigExceptionMessageNextToTheField()
    {
        var page = RenderPage<LaunchPage>();

        Type(page, "batch_size", "abc");

        await page.WaitForAssertionAsync(() => Assert.Equal("config key 'batch_size': expected an integer, got 'abc'", FieldError(page, "batch_size")));
        Assert.True(page.Find(".submit-button").HasAttribute("disabled"));
        Assert.Equal("", FieldError(page, "lr"));
    }

    [Fact]
    public async Task CrossKeyRuleShowsTheCliMessageOnTheKeyItNames()
    {
        var page = RenderPage<LaunchPage>();
        var preset = RunService.ConfigPresets.Load("emoji_vptsp_g");
        var odd = preset.SamplesPerClass * 3 + 1;

        Type(page, "batch_size", odd.ToString());

        // Exactly what the CLI reports for --set batch_size=odd.
        var expected = Assert.Throws<ConfigException>(() => preset.WithOverrides(new Dictionary<string, string> { ["batch_size"] = odd.ToString() })).Message;
        await page.WaitForAssertionAsync(() => Assert.Equal(expected, FieldError(page, "batch_size")));
        Assert.Contains(expected, page.Find(".config-errors").TextContent);

        Type(page, "batch_size", (preset.SamplesPerClass * 4).ToString());
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll(".config-errors")));
        Assert.False(page.Find(".submit-button").HasAttribute("disabled"));
    }

    [Fact]
    public async Task SubmitSendsThePresetWithTheChangedKeysAndOpensTheRun()
    {
        var page = RenderPage<LaunchPage>();

        Type(page, "n_epochs", "2");
        Type(page, "lr", "0.002");
        page.Find(".submit-button").Click();

        await page.WaitForAssertionAsync(() => Assert.Single(RunService.Submissions));
        var sent = RunService.Submissions[0];
        Assert.Equal("emoji_vptsp_g", sent.Config);
        Assert.Equal(new Dictionary<string, string> { ["n_epochs"] = "2", ["lr"] = "0.002" }, sent.Overrides);
        var nav = Services.GetRequiredService<NavigationManager>();
        await page.WaitForAssertionAsync(() => Assert.EndsWith("/runs/1", nav.Uri));
        Assert.Equal(2, (await RunService.GetAsync(1)).Config.NEpochs);
    }

    [Fact]
    public void CloneFillsTheFormFromTheRunsConfig()
    {
        var run = RunService.Seed("tuned", "completed", "emoji_vpt", c => c with { Lr = 0.0042, NEpochs = 7 });
        var nav = Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/launch?clone={run.Id}");

        var page = RenderPage<LaunchPage>();

        Assert.Contains($"clone of run #{run.Id}", page.Find(".launch-source").TextContent);
        Assert.Equal("0.0042", page.Find("input[name='lr']").GetAttribute("value"));
        Assert.Equal("7", page.Find("input[name='n_epochs']").GetAttribute("value"));
    }
}

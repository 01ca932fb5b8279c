using Microsoft.AspNetCore.Components;
using MudBlazor;
using VptSp.Core.Training;
using VptSp.Web.Components.Pages.Runs;
using VptSp.Runs;
using VptSp.Runs.DataRoots;
using VptSp.Web.Services.Errors;
using VptSp.Web.Services.Launch;

namespace VptSp.Web.Components.Pages.Launch;

public partial class LaunchPage
{
    [SupplyParameterFromQuery(Name = "clone")] public long? CloneId { get; set; }
    [SupplyParameterFromQuery(Name = "preset")] public string? PresetName { get; set; }

    [Inject] private LaunchService Launch { get; set; } = null!;
    [Inject] private PageErrors Errors { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private IReadOnlyList<string> _presets = [];
    private IReadOnlyList<DataRootInfo> _roots = [];
    private IReadOnlyList<BackboneCandidate> _backbones = [];
    private ConfigFormModel? _model;
    private string? _preset;
    private string _sourceLabel = "";
    private string? _sourcePath;
    private string? _tags;
    private string _yaml = "";
    private int _tab;
    private bool _submitting;
    private string? _loadError;
    private string? _submitError;
    private long? _loadedClone;

    private bool CanSubmit => !_submitting && (_tab == 1 ? !string.IsNullOrWhiteSpace(_yaml) : _model is { Errors.Count: 0 });

    private string DataRootHelp
    {
        get
        {
            var root = _roots.FirstOrDefault(r => r.Path == _sourcePath);
            if (root is null) return "Empty = the server's default for the dataset.";
            if (root.Error is not null) return root.Error;
            return root.Datasets.Count == 0 ? "No datasets detected here." : "Contains: " + string.Join(", ", root.Datasets.Select(d => d.Name));
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _presets = Launch.Presets;
        try
        {
            _roots = Launch.DataRoots();
        }
        catch (Exception ex)
        {
            _loadError = "Could not list data roots: " + Errors.Message(ex, "listing data roots");
        }
        _backbones = await Launch.BackbonesAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (CloneId is { } id)
        {
            if (_loadedClone == id) return;
            _loadedClone = id;
            await LoadCloneAsync(id);
        }
        else if (_model is null && Launch.InitialPreset(PresetName) is { } preset)
        {
            LoadPreset(preset);
        }
    }

    private async Task LoadCloneAsync(long id)
    {
        try
        {
            Show(await Launch.CloneAsync(id));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _loadError = $"Cannot clone: {Errors.Message(ex, "loading a run to clone")}.";
        }
    }

    private Task PresetChangedAsync(string? preset)
    {
        if (preset is not null) LoadPreset(preset);
        return Task.CompletedTask;
    }

    private void LoadPreset(string preset)
    {
        _preset = preset;
        try
        {
            Show(Launch.FromPreset(preset, _roots, _sourcePath));
            _loadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _loadError = $"Preset {preset} does not load: {Errors.Message(ex, "loading a preset")}";
        }
    }

    private void Show(LaunchDraft draft)
    {
        _preset = draft.Preset;
        _model = new ConfigFormModel(draft.Config, draft.Source);
        _model.Validate();
        _sourceLabel = draft.SourceLabel;
        _sourcePath = draft.SourcePath;
        if (draft.Tags is not null) _tags = draft.Tags;
        _yaml = draft.Yaml;
    }

    private void SetBackbone(string value)
    {
        if (_model is null) return;
        _model.Set("backbone_checkpoint", value);
    }

    private void UseYamlInForm(TrainingConfig config)
    {
        _preset = null;
        _model = new ConfigFormModel(config, config.ToYaml());
        _model.Validate();
        _sourceLabel = "pasted YAML";
        _tab = 0;
    }

    private async Task SubmitAsync()
    {
        _submitError = null;
        RunSubmission submission;
        if (_tab == 1)
        {
            submission = new RunSubmission(_yaml, null, _sourcePath, null, RunNotesDialog.ParseTags(_tags));
        }
        else
        {
            if (_model is null || !_model.Validate()) return;
            var overrides = _model.Overrides;
            submission = new RunSubmission(_model.Source, overrides.Count == 0 ? null : overrides, _sourcePath,
                _model.IsChanged("name") ? _model.Values["name"] : null, RunNotesDialog.ParseTags(_tags));
        }
        _submitting = true;
        try
        {
            var (result, message) = await Launch.SubmitAsync(submission);
            Snackbar.Add(message, Severity.Success);
            Navigation.NavigateTo($"/runs/{result.Id}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (ex is ConfigException config && _tab == 0) _model?.AddError(config);
            _submitError = Errors.Message(ex, "queueing a run");
        }
        finally
        {
            _submitting = false;
        }
    }
}

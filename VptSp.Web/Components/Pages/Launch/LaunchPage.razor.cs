using Microsoft.AspNetCore.Components;
using MudBlazor;
using VptSp.Core.Training;
using VptSp.Web.Components.Pages.Runs;
using VptSp.Runs;
using VptSp.Runs.DataRoots;

namespace VptSp.Web.Components.Pages.Launch;

public partial class LaunchPage
{
    private const string DefaultPreset = "emoji_vptsp_g";

    [SupplyParameterFromQuery(Name = "clone")] public long? CloneId { get; set; }
    [SupplyParameterFromQuery(Name = "preset")] public string? PresetName { get; set; }

    [Inject] private IRunService Runs { get; set; } = null!;
    [Inject] private IDataRootService DataRoots { get; set; } = null!;
    [Inject] private IServiceProvider Services { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private IReadOnlyList<string> _presets = [];
    private IReadOnlyList<DataRootInfo> _roots = [];
    private IReadOnlyList<BackboneCandidate> _backbones = [];
    private ConfigPresets _configPresets = null!;
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
        _configPresets = Services.GetService<ConfigPresets>() ?? ConfigPresets.Discover();
        _presets = Runs.Presets;
        try
        {
            _roots = DataRoots.List();
        }
        catch (Exception ex)
        {
            _loadError = "Could not list data roots: " + ex.Message;
        }
        _backbones = await BackboneCandidate.FindAsync(Runs);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (CloneId is { } id)
        {
            if (_loadedClone == id) return;
            _loadedClone = id;
            await LoadCloneAsync(id);
        }
        else if (_model is null)
        {
            var preset = PresetName is not null && _presets.Contains(PresetName) ? PresetName
                : _presets.Contains(DefaultPreset) ? DefaultPreset : _presets.Count > 0 ? _presets[0] : null;
            if (preset is not null) LoadPreset(preset);
        }
    }

    private async Task LoadCloneAsync(long id)
    {
        try
        {
            var detail = await Runs.GetAsync(id);
            _preset = null;
            _model = new ConfigFormModel(detail.Config, detail.Config.ToYaml());
            _model.Validate();
            _sourceLabel = $"a clone of run #{id} ({detail.Summary.Name})";
            _sourcePath = detail.SourcePath;
            _tags = string.Join(", ", detail.Summary.Tags);
            _yaml = detail.ConfigYaml;
        }
        catch (RunNotFoundException ex)
        {
            _loadError = $"Cannot clone: {ex.Message}.";
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
            var config = _configPresets.Load(preset);
            _model = new ConfigFormModel(config, preset);
            _model.Validate();
            _sourceLabel = $"preset {preset}";
            _sourcePath = _roots.FirstOrDefault(r => r.Datasets.Any(d => d.Name == config.Dataset))?.Path ?? _sourcePath;
            _yaml = File.ReadAllText(_configPresets.PathOf(preset));
            _loadError = null;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or FormatException)
        {
            _loadError = $"Preset {preset} does not load: {ex.Message}";
        }
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
            var result = await Runs.SubmitAsync(submission);
            Snackbar.Add(result.Position <= 1
                    ? $"Run #{result.Id} queued — it starts next."
                    : $"Run #{result.Id} queued at position {result.Position}.", Severity.Success);
            Navigation.NavigateTo($"/runs/{result.Id}");
        }
        catch (ConfigException ex)
        {
            if (_tab == 0 && _model is not null) _model.AddError(ex);
            _submitError = ex.Message;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or RunStateConflictException)
        {
            _submitError = ex.Message;
        }
        finally
        {
            _submitting = false;
        }
    }
}

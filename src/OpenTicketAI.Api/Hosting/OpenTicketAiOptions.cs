using System.ComponentModel.DataAnnotations;
using OpenTicketAI.Api.Models;

namespace OpenTicketAI.Api.Hosting;

/// <summary>Where models live and how they are served (configuration section <c>OpenTicketAI</c>).</summary>
public sealed class OpenTicketAiOptions
{
    public const string SectionName = "OpenTicketAI";

    /// <summary>Directory whose subdirectories holding a <c>model.json</c> are served, each under its directory name. Relative paths start at the content root.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "OpenTicketAI:ModelsPath is required: the directory that holds one subdirectory per model.")]
    public string ModelsPath { get; set; } = "models";

    /// <summary>The model <c>POST /predict</c> uses; readiness waits for it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "OpenTicketAI:DefaultModel is required.")]
    [RegularExpression(ModelName.Pattern, ErrorMessage = "OpenTicketAI:DefaultModel must be a model directory name: a letter or digit, then up to 63 letters, digits, '.', '_' or '-'.")]
    public string DefaultModel { get; set; } = "default";

    /// <summary>ONNX Runtime threads per inference. 1 suits a service that runs many requests at once.</summary>
    [Range(1, 256, ErrorMessage = "OpenTicketAI:IntraOpThreads must be between 1 and 256.")]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Watch the models directory and reload a model once its files have been quiet for <see cref="ReloadDebounce"/>.</summary>
    public bool WatchModels { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "OpenTicketAI:ReloadDebounce must be between 00:00:00 and 00:10:00.")]
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Also re-scan the models directory this often (zero: only on file events). Needed on a volume shared by several
    /// replicas (NFS and the like deliver no file events from other machines), so a promotion on one is served by all.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "OpenTicketAI:ModelsRescanInterval must be between 00:00:00 and 01:00:00.")]
    public TimeSpan ModelsRescanInterval { get; set; } = TimeSpan.Zero;

    /// <summary>How long a stopping host waits for requests in flight.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "OpenTicketAI:ShutdownTimeout must be between 00:00:00 and 00:10:00.")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Versions of a versioned model to keep after a training job adds one; the active and the previous version are never deleted.</summary>
    [Range(1, 1000, ErrorMessage = "OpenTicketAI:KeepVersions must be between 1 and 1000.")]
    public int KeepVersions { get; set; } = 5;

    /// <summary>Promote a newly trained version when its shadow evaluation is at least as accurate as the active version's.</summary>
    public bool AutoPromote { get; set; }

    /// <summary>Largest training file <c>POST /models/{name}/train</c> accepts.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024, ErrorMessage = "OpenTicketAI:MaxTrainingUploadBytes must be between 1 KiB and 2 GiB.")]
    public long MaxTrainingUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>The most recent labelled tickets from the feedback store a shadow evaluation compares candidate and active version on.</summary>
    [Range(1, 1_000_000, ErrorMessage = "OpenTicketAI:ShadowTickets must be between 1 and 1000000.")]
    public int ShadowTickets { get; set; } = 1000;

    /// <summary>Serve the OpenAPI document and Swagger UI at <c>/swagger</c>. Unset: only in Development.</summary>
    public bool? EnableSwagger { get; set; }
}

using System.Text.Json.Serialization;
using OpenTicketAI.Core.Models;

namespace OpenTicketAI.Api.Models;

[JsonConverter(typeof(JsonStringEnumConverter<ModelState>))]
public enum ModelState
{
    /// <summary>Found on disk, first load not finished.</summary>
    Loading,

    /// <summary>Serving. <see cref="ModelStatus.LastError"/> may still report a later load that failed and was not applied.</summary>
    Ready,

    /// <summary>Found on disk but not servable: no load has succeeded.</summary>
    Failed,
}

/// <summary>Why the last load of a model failed, and when.</summary>
public sealed record ModelError(string Message, DateTimeOffset At);

/// <summary>A point-in-time view of one served model.</summary>
public sealed record ModelStatus(
    string Name,
    ModelState State,
    bool IsDefault,
    ModelManifest? Manifest,
    DateTimeOffset? LoadedAt,
    ModelError? LastError);

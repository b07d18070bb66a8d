namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>Installs a model the way an operator should: copy beside the target, then rename into place.</summary>
public static class ModelFiles
{
    public static string Install(string source, string modelsDirectory, string name)
    {
        var target = Path.Combine(modelsDirectory, name);
        var staging = Path.Combine(modelsDirectory, $".{name}.copying-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        if (Directory.Exists(target))
        {
            var aside = Path.Combine(modelsDirectory, $".{name}.old-{Guid.NewGuid():N}");
            Directory.Move(target, aside);
            Directory.Move(staging, target);
            Directory.Delete(aside, recursive: true);
        }
        else
        {
            Directory.Move(staging, target);
        }

        return target;
    }
}

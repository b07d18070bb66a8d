using OpenTicketAI.Testing;
using OpenTicketAI.Core.Models;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Training.Tests.Data;

internal static class Recipes
{
    public static DataRecipe With(IReadOnlyDictionary<string, HeadKind> heads, params DataSource[] sources) =>
        new() { Heads = heads, Sources = sources };

    public static Dictionary<string, HeadKind> Single(params string[] heads) =>
        heads.ToDictionary(h => h, _ => HeadKind.SingleLabel);

    public static Dictionary<string, LabelSpec> Columns(params string[] heads) =>
        heads.ToDictionary(h => h, LabelSpec.FromColumn);

    public static TrainingDataException LoadFails(TempDirectory dir, DataRecipe recipe) =>
        Assert.Throws<TrainingDataException>(() => TrainingDataLoader.Load(recipe, dir.Path));
}

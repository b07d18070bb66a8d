using OpenTicketAI.Core.Models;
using OpenTicketAI.Testing;
using OpenTicketAI.Training.Building;
using OpenTicketAI.Training.Data;
using OpenTicketAI.Training.Evaluation;
using static OpenTicketAI.Training.Tests.Data.Recipes;

namespace OpenTicketAI.Training.Tests.Data;

public sealed class LanguageCheckTests : IDisposable
{
    // A noisy export: row 2 is English text labelled de (as in the shared ticket data), row 4 too short to tell.
    private const string Csv = """
        subject,body,language
        Rechnung doppelt,Wir haben die Rechnung für November zweimal bezahlt und bitten um eine Gutschrift.,de
        Invoice charged twice,We paid the November invoice twice and would like a refund for the duplicate payment.,de
        Factura duplicada,Hemos pagado la factura de noviembre dos veces y pedimos el reembolso del pago duplicado.,ES
        ,ok,en
        Fatura duplicada,Pagamos a fatura de novembro duas vezes e pedimos o reembolso do pagamento duplicado.,pt
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Identify_mode_labels_rows_from_their_text_and_counts_the_column_disagreements()
    {
        var set = Load(LanguageCheckMode.Identify);

        Assert.Equal(["de", "en", "es", null, "pt"], set.Rows.Select(r => r.Labels.GetValueOrDefault("language")));
        var check = set.LanguageCheck!;
        Assert.Equal((5, 1, 1), (check.Rows, check.Disagreed, check.Undetermined));
        Assert.Equal(new Dictionary<string, int> { ["de→en"] = 1 }, check.Changes);
    }

    [Fact]
    public void Flag_mode_drops_only_the_labels_the_text_contradicts_and_lowercases_the_rest()
    {
        var set = Load(LanguageCheckMode.Flag);

        Assert.Equal(["de", null, "es", "en", "pt"], set.Rows.Select(r => r.Labels.GetValueOrDefault("language")));
        Assert.Equal(1, set.LanguageCheck!.Disagreed);
    }

    [Fact]
    public void The_model_card_reports_the_language_check()
    {
        var training = new TrainingSummary { Rows = 5, TrainRows = 5, ValidationRows = 0, Seed = 1, LanguageCheck = Load(LanguageCheckMode.Identify).LanguageCheck };
        var manifest = Manifests.With([], training);

        var card = ModelCard.Render(manifest, new EvaluationReport { Model = "m" });

        Assert.Contains("Of 5 rows, 1 carried a language label their text contradicts (de→en 1); 1 were too short or mixed to tell", card, StringComparison.Ordinal);
    }

    [Fact]
    public void A_language_check_on_a_head_the_recipe_lacks_is_an_error()
    {
        var recipe = Recipe(LanguageCheckMode.Identify) with { LanguageCheck = new LanguageCheck { Head = "lang" } };

        var error = LoadFails(_dir, recipe);

        Assert.Contains("languageCheck names head 'lang'", error.Message, StringComparison.Ordinal);
    }

    private TrainingSet Load(LanguageCheckMode mode) => TrainingDataLoader.Load(Recipe(mode), _dir.Path);

    private DataRecipe Recipe(LanguageCheckMode mode)
    {
        var file = _dir.Write("t.csv", Csv);
        var recipe = With(Single("language"), new DataSource { Path = file, Labels = Columns("language") });
        return recipe with { LanguageCheck = new LanguageCheck { Mode = mode }, MinRowsPerClass = 1 };
    }
}

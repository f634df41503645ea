using System.Text.Json;
using Sluice.Artifacts;
using Sluice.Definitions;
using StockForecaster.Alerts;
using StockForecaster.Data;
using StockForecaster.Models;
using StockForecaster.Reporting;
using StockForecaster.Sources;
using StockForecaster.Steps;

namespace StockForecaster;

/// <summary>The wiring only: ingest -> clean/validate -> model -> report; the work lives in src/.</summary>
public static class ForecasterPipeline
{
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.General);

    /// <summary>Defines the forecaster pipeline.</summary>
    public static Pipeline Create() => Pipeline.Define("stock-forecaster", p =>
    {
        // The two price files hold millions of values: written without indentation they are a third smaller and faster.
        p.Serializer(new JsonArtifactSerializer<RawPrices>(Compact));
        p.Serializer(new JsonArtifactSerializer<CleanPrices>(Compact));

        Artifact<IngestSettings> ingest = p.Parameters<IngestSettings>();
        Artifact<ModelSettings> modelling = p.Parameters<ModelSettings>("Model");
        Artifact<ReportSettings> reporting = p.Parameters<ReportSettings>();
        Artifact<AlertSettings> alerts = p.Parameters<AlertSettings>("Alerts");

        // The CSV files the settings name and the data contract are inputs: edit one, and what reads it re-runs.
        Artifact<ProjectFiles> csvFiles = p.Files("sources", ingest, s => s.CsvPaths());
        Artifact<ProjectFile> contract = p.File(ForecasterPaths.Contract);

        // HTTP retries live in the source (they honour Retry-After); a step-level retry would multiply them.
        Artifact<RawPrices> raw = p.Step("ingest")
            .Publish(ForecasterPaths.RawPrices)
            .Executes(ingest, csvFiles, (ctx, s, _) => Ingestion.RunAsync(s, ctx));

        Artifact<CleanPrices> clean = p.Step("clean")
            .Publish(ForecasterPaths.CleanPrices)
            .Executes(raw, contract, alerts, CleanStep.Run);

        Artifact<ModelReport> model = p.Step("model")
            .Publish(ForecasterPaths.Model)
            .Executes(clean, modelling, alerts, ModelStep.Run);

        p.Step("report")
            .Publish(ForecasterPaths.Report)
            .Executes(clean, model, reporting, (_, c, m, s) => ReportWriter.Text(c, m, s));

        p.Step("report-html")
            .Publish(ForecasterPaths.HtmlReport)
            .Executes(clean, model, reporting, (_, c, m, s) => ReportWriter.Html(c, m, s));
    });
}

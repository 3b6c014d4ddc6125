package org.pdsynth.fiji;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdsynth.volume.Atlas;
import org.pdsynth.diagnosis.DiagnosisOptions;
import org.pdsynth.diagnosis.DiagnosisReport;
import org.pdsynth.diagnosis.Protocol;
import org.pdsynth.diagnosis.Protocols;
import org.pdsynth.diagnosis.SyntheticSet;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.SubjectAligner;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Clinical validation: NC/MCI/AD classification from regional features of both modalities,
 * stratified k-fold by subject, with real, hybrid (one modality synthetic) or synthetic data.
 */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Diagnose", headless = true,
        description = "Does synthetic data keep its diagnostic value? (NC / MCI / AD)")
public class DiagnoseCommand extends PdsCommand {
    @Parameter(label = "Cohort manifest", description = "participants.csv with labels and both real modalities", persist = false)
    private File cohort;

    @Parameter(label = "Synthetic volumes", description = "folder (SUBJECT/fmri_synth.nii.gz, dwi_synth.nii.gz) or CSV subject,fmri,dwi",
            required = false, persist = false)
    private File synthetic;

    @Parameter(label = "Protocol", choices = {"real-real", "real-hybrid", "hybrid-real", "synthetic-real", "all"},
            required = false, persist = false)
    private String protocol = "real-real";

    @Parameter(label = "Synthetic modality in hybrids", choices = {"dwi", "fmri"}, required = false, persist = false)
    private String replace = "dwi";

    @Parameter(label = "Atlas", description = "label NIfTI with a .txt of 'index name' lines (default: atlas.nii.gz beside the manifest)",
            required = false, persist = false)
    private File atlas;

    @Parameter(label = "Folds", min = "2", required = false, persist = false)
    private int folds = DiagnosisOptions.DEFAULT_FOLDS;

    @Parameter(label = "Seed", description = "seed of the fold assignment", required = false, persist = false)
    private long seed = 0;

    @Parameter(label = "L2 lambda", min = "0", description = "penalty: mean cross-entropy + lambda/2 ||W||^2", required = false, persist = false)
    private double lambda = 0.1;

    @Parameter(label = "Results CSV", description = "write one row per protocol", style = "save", required = false, persist = false)
    private File csv;

    @Parameter(label = "JSON output", required = false, persist = false)
    private boolean json;

    @Parameter(type = ItemIO.OUTPUT, label = "Diagnosis")
    private String results;

    @Override
    public void run() {
        try {
            new OutputGuard().input("--cohort", cohort).input("--atlas", atlas).input("--synthetic", synthetic).check("--csv", csv);
            Path manifest = cohort.toPath();
            Path atlasFile = atlas != null ? atlas.toPath() : manifest.toAbsolutePath().getParent().resolve("atlas.nii.gz");
            if (!Files.isRegularFile(atlasFile))
                throw new IllegalArgumentException(atlasFile + ": no atlas; give --atlas (a label NIfTI with its .txt of region names)");
            Grid grid = Grid.MNI_4MM;
            Atlas a = Atlas.read(atlasFile, grid);
            DiagnosisOptions o = DiagnosisOptions.defaults(a).withAligner(SubjectAligner.defaults().withGrid(grid)).withFolds(folds)
                    .withSeed(seed).withLambda(lambda).withReplace(Modality.parse(replace));
            List<Protocol> ps = new ArrayList<>();
            if ("all".equals(protocol)) ps.addAll(List.of(Protocol.values()));
            else ps.add(Protocol.parse(protocol));
            SyntheticSet synth = synthetic == null ? SyntheticSet.empty() : SyntheticSet.open(synthetic.toPath());
            List<DiagnosisReport> reports = Protocols.run(ps, Cohort.read(manifest), synth, o,
                    (stage, done, total) -> progress(done, total, "PDS diagnose: " + stage + " " + done + "/" + total));
            StringBuilder b = new StringBuilder();
            if (json) {
                b.append('[');
                for (int i = 0; i < reports.size(); i++) b.append(i == 0 ? "" : ",").append(reports.get(i).toJson());
                b.append(']');
            } else {
                for (DiagnosisReport r : reports) b.append(r.toText()).append('\n');
            }
            results = b.toString();
            if (csv != null) {
                StringBuilder c = new StringBuilder(org.pdsynth.volume.Csv.format(DiagnosisReport.CSV_HEADER)).append('\n');
                for (DiagnosisReport r : reports) c.append(r.csvRow()).append('\n');
                byte[] bytes = c.toString().getBytes(StandardCharsets.UTF_8);
                NiftiFiles.writeAtomically(csv.toPath(), out -> out.write(bytes));
            }
        } catch (Exception e) {
            throw failure(e);
        }
    }
}

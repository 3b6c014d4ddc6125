package org.pdsynth.fiji;

import org.pdsynth.volume.Modality;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Synthesis with the input modality as a parameter ({@code pds synthesize --from fmri|dwi}); no menu entry. */
@Plugin(type = Command.class, headless = true, label = "Synthesize missing modality")
public class SynthesizeCommand extends AbstractSynthesizeCommand {
    @Parameter(label = "Input modality", description = "the modality given; the other is synthesized", choices = {"fmri", "dwi"}, persist = false)
    private String from;

    @Override
    protected Modality from() {
        return Modality.parse(from);
    }
}

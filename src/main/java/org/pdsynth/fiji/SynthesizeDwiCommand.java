package org.pdsynth.fiji;

import org.pdsynth.volume.Modality;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins > PDS > Synthesize dMRI from fMRI. */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Synthesize dMRI from fMRI", headless = true)
public class SynthesizeDwiCommand extends AbstractSynthesizeCommand {
    @Override
    protected Modality from() {
        return Modality.FMRI;
    }
}

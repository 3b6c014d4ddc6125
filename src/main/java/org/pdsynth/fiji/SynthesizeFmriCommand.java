package org.pdsynth.fiji;

import org.pdsynth.volume.Modality;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Plugins > PDS > Synthesize fMRI from dMRI. */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Synthesize fMRI from dMRI", headless = true)
public class SynthesizeFmriCommand extends AbstractSynthesizeCommand {
    @Override
    protected Modality from() {
        return Modality.DWI;
    }
}

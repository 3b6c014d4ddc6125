#@ String (visibility = MESSAGE, value = "Synthesizes the missing modality of one subject: dMRI from fMRI, or fMRI from DWI (+ bval, bvec)", required = false, persist = false) about
#@ File (label = "Input NIfTI (4-D fMRI or DWI)", style = "open", persist = false) input
#@ String (label = "Input modality", choices = {"fmri", "dwi"}, value = "fmri", persist = false) from
#@ File (label = "bval (DWI input only)", style = "open", required = false, persist = false) bval
#@ File (label = "bvec (DWI input only)", style = "open", required = false, persist = false) bvec
#@ File (label = "Model folder (empty: the shipped demo model)", style = "directory", required = false, persist = false) model
#@ File (label = "Output NIfTI (.nii or .nii.gz)", style = "save", persist = false) output
#@ Integer (label = "DDIM steps", value = 50, min = 2, persist = false) steps
#@ Integer (label = "Samples (more than 1 also writes NAME_std, the uncertainty)", value = 1, min = 1, persist = false) samples
#@ Long (label = "Seed", value = 1, persist = false) seed
#@ org.scijava.command.CommandService commands
#@output ij.ImagePlus synthetic
#@output String report

// Synthesize the missing modality of one subject: from its fMRI the dMRI, or from its DWI the
// fMRI. Runs the same command as Plugins > PDS > Synthesize dMRI from fMRI / fMRI from dMRI
// (org.pdsynth.fiji.SynthesizeCommand), writes the N-channel NIfTI and returns it as a
// hyperstack (channels = the N aligned components, calibrated in mm).
// Parameters are not remembered between runs (persist = false): a headless run uses exactly the
// values it is given, and the defaults above for the others.
// The MESSAGE line on top also keeps SciJava's one-File shortcut away: when the only input left
// unset is a File (here the optional model folder), SciJava shows a file chooser instead of running,
// and a headless run that leaves that input out would be cancelled without a word.
//
// Headless: ImageJ-linux64 --headless --run scripts/Plugins/PDS/Synthesize_Subject.groovy \
//   "input='sub-01/fmri.nii.gz',from='fmri',output='sub-01/dwi_synth.nii.gz',steps=50"

import org.pdsynth.fiji.SynthesizeCommand

if (from == "dwi" && (bval == null || bvec == null))
    throw new IllegalArgumentException("${input}: a DWI input needs its bval and bvec files")

def module = commands.run(SynthesizeCommand, false, [
        from   : from,
        input  : input,
        bval   : from == "dwi" ? bval : null,
        bvec   : from == "dwi" ? bvec : null,
        model  : model,
        out    : output,
        steps  : steps,
        samples: samples,
        seed   : seed,
]).get()  // process = false: no dialog for the command's other options, no second display of its outputs

synthetic = module.getOutput("synthetic")
report = module.getOutput("report")

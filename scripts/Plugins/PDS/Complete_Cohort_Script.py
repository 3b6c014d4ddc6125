#@ String (visibility = MESSAGE, value = "Synthesizes the missing fMRI or dMRI of every subject of a participants.csv manifest", required = false, persist = false) about
#@ File (label = "Cohort manifest (participants.csv)", style = "open", persist = false) manifest
#@ File (label = "Output folder", style = "directory", persist = false) output_dir
#@ File (label = "Model folder (empty: the shipped demo model)", style = "directory", required = false, persist = false) model
#@ Integer (label = "DDIM steps", value = 50, min = 2, persist = false) steps
#@ Long (label = "Seed", value = 1, persist = false) seed
#@ org.scijava.app.StatusService status
#@output String report

# Fill the missing modality of every subject of a cohort manifest: a subject with only an fMRI gets
# OUTPUT/<subject>/dwi_synth.nii.gz, one with only a DWI gets OUTPUT/<subject>/fmri_synth.nii.gz
# (the layout of Plugins > PDS > Complete Cohort and of `pds diagnose --synthetic OUTPUT`).
# The model is loaded once for the whole cohort. Restartable: outputs are written atomically, so an
# output that exists is complete and its subject is skipped. A subject that fails (missing or
# unreadable file...) is reported and the others go on.
# (Named ..._Script so that its menu entry, Plugins > PDS > Complete Cohort Script, does not
# collide with the Complete Cohort command, which does the same in Java.)
#
# Headless: ImageJ-linux64 --headless --run scripts/Plugins/PDS/Complete_Cohort_Script.py \
#   "manifest='cohort/participants.csv',output_dir='completed',model='my-model',steps=50"
#
# The MESSAGE line on top also keeps SciJava's one-File shortcut away: when the only input left
# unset is a File (here the optional model folder), SciJava shows a file chooser instead of running,
# and a headless run that leaves that input out would be cancelled without a word.

from java.lang import Exception as JavaException
from java.nio.file import Files
from org.pdsynth.diffusion import Sampling
from org.pdsynth.workflow import CohortCompletion, DefaultModel, Synthesizer
from org.pdsynth.volume import Cohort, Modality

cohort = Cohort.read(manifest.toPath())
out = output_dir.toPath()
sampling = Sampling.Options.builder().optSteps(steps).optSeed(seed).build()

written, present, complete, failed = [], [], [], []
synthesizer = Synthesizer.load(DefaultModel.resolve(model))
try:
    subjects = cohort.subjects()
    for k in range(subjects.size()):
        s = subjects.get(k)
        sid = s.subject()
        status.showStatus(k, subjects.size(), "PDS complete cohort: " + sid)
        if s.hasFmri() and s.hasDwi():
            complete.append(sid)
            continue
        source = Modality.FMRI if s.hasFmri() else Modality.DWI
        target = source.other()
        path = CohortCompletion.outputFile(out, sid, target)
        if Files.isRegularFile(path):
            present.append(sid)
            continue
        try:
            given = s.fmri() if source == Modality.FMRI else s.dwi()
            request = Synthesizer.Request(source, given, s.bval(), s.bvec(), s.mask(), None, None, sampling)
            Synthesizer.write(synthesizer.synthesize(request, None, None), path)
            written.append("%s/%s" % (sid, path.getFileName()))
        except (Exception, JavaException) as e:
            message = e.getMessage() if isinstance(e, JavaException) else str(e)
            failed.append("%s (%s)" % (sid, message))
finally:
    synthesizer.close()
    status.clearStatus()

report = "\n".join([
    "cohort %s: %d subjects; outputs in %s" % (manifest, cohort.size(), out),
    "synthesized %d: %s" % (len(written), ", ".join(written)),
    "already there %d: %s" % (len(present), ", ".join(present)),
    "complete already %d: %s" % (len(complete), ", ".join(complete)),
    "failed %d: %s" % (len(failed), "; ".join(failed)),
])

#@ String (visibility = MESSAGE, value = "PSNR / SSIM / MAE of each test volume against the reference volume of the same file name", required = false, persist = false) about
#@ File (label = "Reference folder (real volumes)", style = "directory", persist = false) referenceDir
#@ File (label = "Test folder (synthetic volumes, same file names)", style = "directory", persist = false) testDir
#@ File (label = "Brain mask (optional: one 3-D mask for every pair)", style = "open", required = false, persist = false) mask
#@ File (label = "Results CSV", style = "save", persist = false) csv
#@output String summary

// PSNR, SSIM and MAE of every test volume against the reference volume of the same file name
// (org.pdsynth.metrics.VolumeMetrics: per channel, both scaled by the reference channel's range,
// data range 1, channel values averaged). One row per reference file in an ImageJ ResultsTable,
// saved as CSV (written to a temporary file, then moved into place) and shown in Fiji.
// A reference file with no test file, or a pair that cannot be compared (different shapes, a
// constant reference...), gets a row whose status says why, with NaN metrics; the others go on.
//
// Headless: ImageJ-linux64 --headless --run scripts/Plugins/PDS/Measure_Folder.groovy \
//   "referenceDir='truth',testDir='synthetic',csv='metrics.csv'"
//
// The MESSAGE line on top also keeps SciJava's one-File shortcut away: when the only input left
// unset is a File (here the optional mask), SciJava shows a file chooser instead of running,
// and a headless run that leaves that input out would be cancelled without a word.

import ij.measure.ResultsTable
import java.awt.GraphicsEnvironment
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.util.Locale
import org.pdsynth.metrics.VolumeMetrics
import org.pdsynth.nifti.NiftiReader

def isNifti = { String n -> n.endsWith(".nii") || n.endsWith(".nii.gz") || n.endsWith(".hdr") }
def listNifti = { File d ->
    def files = d.listFiles()
    if (files == null) throw new IllegalArgumentException("${d}: not a readable folder")
    files.findAll { it.isFile() && isNifti(it.name) }*.name.sort()
}
def names = listNifti(referenceDir)
if (names.isEmpty()) throw new IllegalArgumentException("${referenceDir}: no NIfTI files (.nii, .nii.gz, .hdr)")
def onlyInTest = listNifti(testDir) - names
def maskData = mask == null ? null : NiftiReader.read(mask.toPath()).data()

def rt = new ResultsTable()
rt.showRowNumbers(false)
rt.setPrecision(6)
def measured = [], missing = [], failed = []
for (name in names) {
    def test = new File(testDir, name)
    def r = null
    def status = "ok"
    if (!test.isFile()) {
        status = "missing in test folder"
        missing << name
    } else {
        try {
            r = VolumeMetrics.compare(NiftiReader.read(new File(referenceDir, name).toPath()).data(),
                    NiftiReader.read(test.toPath()).data(), maskData)
            measured << r
        } catch (Exception e) {
            status = String.valueOf(e.getMessage()).replace(',', ';')  // one CSV cell
            failed << name
        }
    }
    rt.incrementCounter()
    rt.addValue("file", name)
    rt.addValue("status", status)
    rt.addValue("channels", r == null ? Double.NaN : (double) r.channels().size())
    rt.addValue("psnr", r == null ? Double.NaN : r.psnr())
    rt.addValue("ssim", r == null ? Double.NaN : r.ssim())
    rt.addValue("mae", r == null ? Double.NaN : r.mae())
    if (maskData != null) {
        rt.addValue("masked_psnr", r == null ? Double.NaN : r.masked().psnr())
        rt.addValue("masked_ssim", r == null ? Double.NaN : r.masked().ssim())
        rt.addValue("masked_mae", r == null ? Double.NaN : r.masked().mae())
    }
}

def target = csv.toPath().toAbsolutePath()
Files.createDirectories(target.parent)
def partial = target.resolveSibling("." + target.fileName + ".partial-" + System.nanoTime() + ".csv")
try {
    rt.saveAs(partial.toString())
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
} finally {
    Files.deleteIfExists(partial)
}
if (!GraphicsEnvironment.isHeadless()) rt.show("PDS metrics: " + testDir.name)

def mean = { List<Double> v -> v.isEmpty() ? Double.NaN : v.sum() / v.size() }
def lines = [String.format(Locale.ROOT, "%d of %d reference files measured: mean PSNR %.3f dB, mean SSIM %.4f; table %s",
        measured.size(), names.size(), mean(measured*.psnr()), mean(measured*.ssim()), target)]
if (missing) lines << "missing in test folder: " + missing.join(", ")
if (failed) lines << "not comparable: " + failed.join(", ")
if (onlyInTest) lines << "only in test folder (ignored): " + onlyInTest.join(", ")
summary = lines.join("\n")

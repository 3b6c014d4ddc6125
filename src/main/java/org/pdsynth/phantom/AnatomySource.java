package org.pdsynth.phantom;

/** Where the template anatomy comes from. */
public enum AnatomySource {
    /** MNI atlases when all files are in the atlas folder, else the procedural brain. */
    AUTO,
    /** MNI atlases (AAL, JHU white-matter labels, Colin27 T1); missing files are an error. */
    ATLAS,
    /** The procedural brain (no files needed). */
    PROCEDURAL
}

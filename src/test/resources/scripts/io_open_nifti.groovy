#@ IOService io
#@ File input
#@ File output
#@output Object image
#@output String opener

// NIfTI through SciJava's IO service: the opener chosen for the file, the image it returns, and a save
opener = io.getOpener(input.getPath()).getClass().getName()
image = io.open(input.getPath())
io.save(image, output.getPath())

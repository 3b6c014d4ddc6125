#@ IOService io
#@ File input
#@output Object image

image = io.open(input.getPath())

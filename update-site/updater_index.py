#!/usr/bin/python3
"""Writes an ImageJ/Fiji update site: the files with their upload timestamp suffix, and db.xml.gz.

Usage: updater_index.py FILES.tsv SITE_DIR TIMESTAMP
  FILES.tsv  one line per file, tab-separated:
             path-on-site  updater-key  source-file  platform  description  dependencies
             (path-on-site is the file's path in a Fiji installation, e.g. jars/api-0.36.0.jar;
             updater-key is that path without the version, e.g. jars/api.jar; platform may be
             empty; dependencies are updater keys separated by spaces, may be empty)
  SITE_DIR   an empty folder; receives PATH-TIMESTAMP for every file and db.xml.gz
  TIMESTAMP  yyyyMMddHHmmss (the upload time the updater records for every file)

The checksum is the one the ImageJ updater computes for an installed file (read from
imagej-updater's UpdaterUtil.getDigest, see update-site/README.md), so Fiji sees the installed
files as up to date:
  - a .jar: SHA-1 over its entries sorted by name, each entry contributing its name (ASCII)
    then its content; .properties entries without their '#' comment lines (the updater's
    line-start rule, reproduced below); META-INF/MANIFEST.MF contributing no content;
  - any other file: SHA-1 of its path on the site (ASCII) followed by its bytes.
"""
import gzip
import hashlib
import os
import re
import shutil
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

DTD = """<!DOCTYPE pluginRecords [
<!ELEMENT pluginRecords (plugin*)>
<!ELEMENT plugin (platform*, category*, version?, previous-version*)>
<!ATTLIST plugin filename CDATA #REQUIRED executable CDATA #IMPLIED>
<!ELEMENT platform (#PCDATA)>
<!ELEMENT category (#PCDATA)>
<!ELEMENT version (description?, dependency*, link*, author*)>
<!ATTLIST version checksum CDATA #REQUIRED timestamp CDATA #REQUIRED filesize CDATA #REQUIRED>
<!ELEMENT description (#PCDATA)>
<!ELEMENT dependency EMPTY>
<!ATTLIST dependency filename CDATA #REQUIRED timestamp CDATA #IMPLIED overrides CDATA #IMPLIED>
<!ELEMENT link (#PCDATA)>
<!ELEMENT author (#PCDATA)>
<!ELEMENT previous-version EMPTY>
<!ATTLIST previous-version checksum CDATA #REQUIRED timestamp CDATA #REQUIRED filename CDATA #IMPLIED timestamp-obsolete CDATA #IMPLIED>
]>"""


def die(msg):
    sys.stderr.write("updater_index: " + msg + "\n")
    sys.exit(1)


def ascii_name(name):
    """Java's String.getBytes("ASCII"): every non-ASCII character becomes '?'."""
    return "".join(c if ord(c) < 128 else "?" for c in name).encode("ascii")


def without_comment_lines(data):
    """The bytes the updater hashes for a .properties entry.

    The updater reads the entry through a filter with a 'line start' flag (initially set): a byte
    read at line start that is '#' makes it read on to the end of that line, and the byte that
    ends that inner read ('\\n', or end of data) is what the outer read returns; any other byte at
    line start (even '\\n') clears the flag; a '\\n' read off line start sets it. Consequences: a
    comment line leaves just its '\\n'; a comment right after an empty line is kept.
    """
    out = bytearray()
    pos = 0
    at_line_start = True

    def raw():
        nonlocal pos
        if pos >= len(data):
            return -1
        b = data[pos]
        pos += 1
        return b

    def read():
        nonlocal at_line_start
        ch = raw()
        if at_line_start:
            if ch == 0x23:  # '#'
                while True:
                    ch = read()
                    if ch == 0x0A or ch == -1:
                        break
            else:
                at_line_start = False
        elif ch == 0x0A:
            at_line_start = True
        return ch

    while True:
        ch = read()
        if ch == -1:
            return bytes(out)
        out.append(ch)


def jar_checksum(path):
    digest = hashlib.sha1()
    with zipfile.ZipFile(path) as jar:
        # Java sorts the names by UTF-16 code units; for names without surrogate pairs that is code point order
        for info in sorted(jar.infolist(), key=lambda i: i.filename.encode("utf-16-be")):
            name = info.filename
            digest.update(ascii_name(name))
            if name == "META-INF/MANIFEST.MF":
                continue
            if name.endswith(".properties"):
                digest.update(without_comment_lines(jar.read(info)))
                continue
            with jar.open(info) as entry:
                for block in iter(lambda: entry.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def file_checksum(site_path, path):
    digest = hashlib.sha1(ascii_name(site_path))
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum(site_path, path):
    return jar_checksum(path) if site_path.endswith(".jar") else file_checksum(site_path, path)


def main(argv):
    if len(argv) != 4:
        die("usage: updater_index.py FILES.tsv SITE_DIR TIMESTAMP")
    tsv, site, ts = argv[1], argv[2], argv[3]
    if not re.fullmatch(r"\d{14}", ts):
        die("timestamp '%s' is not yyyyMMddHHmmss" % ts)
    if not os.path.isdir(site) or os.listdir(site):
        die("%s: must be an existing empty folder" % site)
    entries = []
    with open(tsv, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 6:
                die("%s line %d: %d fields, expected 6" % (tsv, n, len(fields)))
            site_path, key, source, platform, description, deps = fields
            if not os.path.isfile(source):
                die("%s: missing (for %s)" % (source, site_path))
            entries.append((site_path, key, source, platform, description, deps.split()))
    keys = {e[1] for e in entries}
    for e in entries:
        for d in e[5]:
            if d not in keys:
                die("%s depends on %s, which the site does not ship" % (e[0], d))

    records = []
    for site_path, key, source, platform, description, deps in entries:
        target = os.path.join(site, site_path + "-" + ts)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)
        os.chmod(target, 0o644)
        size = os.path.getsize(target)
        records.append((site_path, platform, description, deps, checksum(site_path, target), size))
        print("%-62s %12d  %s" % (site_path + "-" + ts, size, records[-1][4]))

    xml = ['<?xml version="1.0" encoding="UTF-8"?>', DTD, "<pluginRecords>"]
    for site_path, platform, description, deps, digest, size in records:
        xml.append("  <plugin filename=%s>" % quoteattr(site_path))
        if platform:
            xml.append("    <platform>%s</platform>" % escape(platform))
        xml.append('    <version checksum="%s" timestamp="%s" filesize="%d">' % (digest, ts, size))
        xml.append("      <description>%s</description>" % escape(description))
        for d in deps:
            xml.append("      <dependency filename=%s timestamp=\"%s\"/>" % (quoteattr(d), ts))
        xml.append("    </version>")
        xml.append("  </plugin>")
    xml.append("</pluginRecords>")
    data = ("\n".join(xml) + "\n").encode("utf-8")
    with open(os.path.join(site, "db.xml.gz"), "wb") as f:
        with gzip.GzipFile(filename="db.xml", mode="wb", fileobj=f, mtime=0) as gz:
            gz.write(data)
    os.chmod(os.path.join(site, "db.xml.gz"), 0o644)


if __name__ == "__main__":
    main(sys.argv)

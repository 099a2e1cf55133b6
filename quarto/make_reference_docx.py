"""Writes quarto/_extensions/lscb/reference.docx, the Word styles of the lscb-docx format: pandoc's own
reference document with A4 pages, 2 cm margins, a centred page number in the footer and Arial text.

    python quarto/make_reference_docx.py        (needs quarto on PATH for `quarto pandoc`)
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "_extensions" / "lscb" / "reference.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FOOTER = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W}><w:p><w:pPr><w:jc w:val="center"/>'
          '</w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE '
          '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r>'
          '<w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>')
SECTION = ('<w:sectPr><w:footerReference w:type="default" r:id="rIdLscbFooter"/>'
           '<w:footnotePr><w:numRestart w:val="eachSect" /></w:footnotePr>'
           '<w:pgSz w:w="11906" w:h="16838"/>'
           '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" '
           'w:gutter="0"/></w:sectPr>')


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.docx"
        subprocess.run(["quarto", "pandoc", "-o", str(base), "--print-default-data-file", "reference.docx"],
                       check=True)
        with zipfile.ZipFile(base) as src:
            parts = {n: src.read(n) for n in src.namelist()}
    doc = parts["word/document.xml"].decode("utf-8")
    doc = re.sub(r"<w:sectPr>.*?</w:sectPr>", SECTION, doc, flags=re.S)
    if "xmlns:r=" not in doc.split(">", 2)[1]:
        doc = doc.replace("<w:document ", '<w:document xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                          '2006/relationships" ', 1)
    parts["word/document.xml"] = doc.encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdLscbFooter" Type="http://schemas.openxmlformats.'
                        'org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace("</Types>", '<Override PartName="/word/footer1.xml" ContentType="application/vnd.'
                          'openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")
    parts["word/footer1.xml"] = FOOTER.encode("utf-8")
    styles = parts["word/styles.xml"].decode("utf-8")
    styles = re.sub(r"<w:rFonts [^>]*/>", '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" '
                    'w:cs="Arial"/>', styles)
    parts["word/styles.xml"] = styles.encode("utf-8")
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    print(OUT)


if __name__ == "__main__":
    main()

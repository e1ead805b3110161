# Reads a JSON request on stdin and answers in JSON on stdout (see pyreaders.go).
import json
import sys
import warnings as pywarnings

req = json.load(sys.stdin)
out = []

if req["mode"] == "xform":
    from pyxform.xls2xform import convert

    for path in req["files"]:
        w = []
        try:
            with pywarnings.catch_warnings():
                pywarnings.simplefilter("ignore")
                r = convert(xlsform=path, warnings=w)
            out.append({"xform": r.xform, "warnings": w, "error": ""})
        except Exception as e:  # pyxform's refusal, reported to the caller
            msg = str(e) or type(e).__name__
            out.append({"xform": "", "warnings": w, "error": msg})

elif req["mode"] == "openpyxl":
    import openpyxl

    def text(v):
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    for path in req["files"]:
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            rows = [[text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            out.append({"name": ws.title, "dimension": ws.calculate_dimension(), "rows": rows})
        wb.close()

json.dump(out, sys.stdout)

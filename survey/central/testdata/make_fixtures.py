"""Writes the XLSForms the central tests use, authored with openpyxl (not by
Canvass), the way a form designer's workbook arrives: ODK's yyyymmddrr
version, language-suffixed labels, groups, dates, times and metadata.
Run with Debian's python3 (python3-openpyxl): python3 make_fixtures.py"""
import openpyxl

wb = openpyxl.Workbook()
s = wb.active
s.title = "survey"
rows = [
    ["type", "name", "label::English (en)", "hint::English (en)", "required", "relevant", "constraint", "calculation", "appearance"],
    ["start", "start", "", "", "", "", "", "", ""],
    ["end", "end", "", "", "", "", "", "", ""],
    ["today", "today", "", "", "", "", "", "", ""],
    ["date", "visit_date", "Date of the visit", "", "yes", "", ". <= today()", "", ""],
    ["time", "visit_time", "Time the visit started", "", "", "", "", "", ""],
    ["dateTime", "next_contact", "When can we contact you again?", "", "", "", "", "", ""],
    ["begin_group", "household", "Household", "", "", "", "", "", "field-list"],
    ["integer", "members", "How many people live here?", "Count everyone", "yes", "", ". > 0 and . < 30", "", ""],
    ["decimal", "rent", "Weekly rent (£)", "", "", "", "", "", ""],
    ["select_one tenure", "tenure", "Is the home rented or owned?", "", "", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", ""],
    ["select_multiple services", "services", "Which services have you used this year?", "", "", "", "", "", ""],
    ["text", "services_comment", "Anything about those services?", "", "", "count-selected(${services}) > 0", "", "", "multiline"],
    ["calculate", "per_person", "", "", "", "", "", "if(${members} > 0, ${rent} div ${members}, 0)", ""],
    ["note", "done", "Thank you.", "", "", "", "", "", ""],
]
for r in rows:
    s.append(r)
c = wb.create_sheet("choices")
for r in [
    ["list_name", "name", "label::English (en)"],
    ["tenure", "council", "Rented from the council"],
    ["tenure", "private", "Rented privately"],
    ["tenure", "owned", "Owned"],
    ["services", "library", "Library"],
    ["services", "day_centre", "Day centre"],
    ["services", "transport", "Community transport"],
    ["services", "advice", "Advice service"],
]:
    c.append(r)
st = wb.create_sheet("settings")
st.append(["form_title", "form_id", "version", "default_language"])
st.append(["Household visit", "household_visit", "2024031501", "English (en)"])
wb.save("household_visit.xlsx")

# The form's next version, as the designer publishes it on Central: one more question.
s.insert_rows(len(rows))
for i, v in enumerate(["select_one yes_no", "garden", "Is there a garden?", "", "", "", "", "", ""]):
    s.cell(row=len(rows), column=i + 1, value=v)
c.append(["yes_no", "yes", "Yes"])
c.append(["yes_no", "no", "No"])
st["C2"] = "2024031502"
wb.save("household_visit_v2.xlsx")

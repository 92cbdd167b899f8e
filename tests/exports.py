"""Reading exports back as a coordinator's Excel would: which cells are formulas."""

import io

import openpyxl


def xlsx_formulas(data: bytes) -> list[str]:
    """Every cell of every sheet that Excel would run: its sheet, coordinate and value."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate} {cell.value}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def xlsx_text_cells(data: bytes) -> dict[str, tuple]:
    """Every text cell's value -> (data type, whether Excel keeps it text when edited)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {
        cell.value: (cell.data_type, cell.quotePrefix)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }

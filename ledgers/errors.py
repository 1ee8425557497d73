"""The codes of the ledgers app's domain errors (uploaded workbooks and their import)."""

from django.db import models


class LedgersErrorCode(models.TextChoices):
    """Why an uploaded ledger workbook was refused."""

    FILE_TOO_LARGE = "file_too_large", "文件过大"
    NOT_XLSX = "not_xlsx", "不是有效的Excel（.xlsx）工作簿"
    ZIP_BOMB = "zip_bomb", "文件压缩结构异常"
    UNSAFE_XML = "unsafe_xml", "无法安全解析文件"
    NO_HEADER = "no_header", "没有找到台账表头"

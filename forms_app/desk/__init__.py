"""The 申报审核 admin menu: review list and detail, summary lists, exports, imports and rounds."""

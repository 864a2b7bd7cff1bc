"""Reports: labels in three languages, and the batch filler of the template workbooks."""

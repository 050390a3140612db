"""To-do lists: a person's tasks, people's task dates, the open tasks of the productions."""

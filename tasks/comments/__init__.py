"""Comments of tasks: posting, threads (replies, acknowledgements, moves), attachments, mentions, lists."""

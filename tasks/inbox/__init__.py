"""The user's inbox: notifications, subscriptions and chats."""

"""File trees the tests render: the reference's default tree (the one it ships) and a custom one
using every token, style and separator."""

DEFAULT_TREE = {
    "working": {
        "mountpoint": "/simple",
        "root": "productions",
        "folder_path": {
            "shot": "<Project>/shots/<Sequence>/<Shot>/<TaskType>",
            "asset": "<Project>/assets/<AssetType>/<Asset>/<TaskType>",
            "sequence": "<Project>/sequences/<Sequence>/<TaskType>",
            "scene": "<Project>/scenes/<Sequence>/<Scene>/<TaskType>",
            "episode": "<Project>/episodes/<Episode>/<TaskType>",
            "style": "lowercase",
        },
        "file_name": {
            "shot": "<Project>_<Shot>_<TaskType>",
            "asset": "<Project>_<AssetType>_<Asset>_<TaskType>",
            "sequence": "<Project>_<Sequence>_<TaskType>",
            "scene": "<Project>_<Sequence>_<Scene>_<TaskType>",
            "episode": "<Project>_<Episode>_<TaskType>",
            "style": "lowercase",
        },
    },
    "output": {
        "mountpoint": "/simple",
        "root": "productions/export",
        "folder_path": {
            "shot": "<Project>/shots/<Sequence>/<Shot>/<OutputType>",
            "asset": "<Project>/assets/<AssetType>/<Asset>/<OutputType>",
            "sequence": "<Project>/sequences/<Sequence>/<OutputType>",
            "scene": "<Project>/scenes/<Sequence>/<Scene>/<OutputType>",
            "episode": "<Project>/episodes/<Episode>/<OutputType>",
            "style": "lowercase",
        },
        "file_name": {
            "shot": "<Project>_<Sequence>_<Shot>_<OutputType>_<OutputFile>",
            "asset": "<Project>_<AssetType>_<Asset>_<OutputType>_<OutputFile>",
            # The reference's shipped tree spells this token wrong: its sequence outputs are a 400.
            "sequence": "<Project>_<Sequence>_<OuputType>_<OutputFile>",
            "scene": "<Project>_<Sequence>_<Scene>_<OutputType>_<OutputFile>",
            "episode": "<Project>_<Episode>_<OutputType>_<OutputFile>",
            "style": "lowercase",
        },
    },
    "preview": {
        "mountpoint": "/simple",
        "root": "productions/previews",
        "folder_path": {
            "shot": "<Project>/shots/<Sequence>/<Shot>/<TaskType>",
            "asset": "<Project>/assets/<AssetType>/<Asset>/<TaskType>",
            "sequence": "<Project>/sequences/<Sequence>/<TaskType>",
            "scene": "<Project>/scene/<Scene>/<TaskType>",
            "episode": "<Project>/episodes/<Episode>/<TaskType>",
            "style": "lowercase",
        },
        "file_name": {
            "shot": "<Project>_<Sequence>_<Shot>_<TaskType>",
            "asset": "<Project>_<AssetType>_<Asset>_<TaskType>",
            "sequence": "<Project>_<Sequence>_<TaskType>",
            "scene": "<Project>_<Scene>_<TaskType>",
            "episode": "<Project>_<Episode>_<TaskType>",
            "style": "lowercase",
        },
    },
}

CUSTOM_TREE = {
    "working": {
        "mountpoint": "/mnt/Studio",
        "root": "",
        "folder_path": {
            "shot": "<Project>/<Episode>/<Sequence>/<Shot>/<TaskType.short_name>/<Department>",
            "asset": "<Project>/lib/<AssetType>/<Asset>/<Task>/<Software>",
            "sequence": "<Project>/<Episode>/<Sequence>",
            "episode": "<Project>/<Episode.id>",
            "scene": "<Project>/<Sequence>/<Scene>",
            "style": "uppercase",
        },
        "file_name": {
            "shot": "<Project>_<Shot>_<TaskType>_v<Version>_<Name>",
            "asset": "<Asset.id>_<Asset>_<Software.short_name>_r<Revision>",
            "sequence": "<Sequence>_<Name>",
            "episode": "<Episode>_<Name>",
            "scene": "<Scene>_<Name>",
            "style": "uppercase",
        },
    },
    "output": {
        "mountpoint": "/out",
        "root": "exports",
        "folder_path": {
            "shot": "<Project>/<Sequence>/<Shot>/<TaskType>/<OutputType>/<Representation>/v<Version>",
            "asset": "<Project>/<AssetType.name>/<Asset>/<OutputType.short_name>/<Representation>",
            "instance": "<Project>/<TemporalEntity>/<Asset>/<Instance>/<OutputType>",
            "episode": "<Project>/<Episode>",
            "sequence": "<Project>/<Sequence>",
            "scene": "<Project>/<Scene>",
            "style": "none",
        },
        "file_name": {
            "shot": "<Project>_<Shot>_<OutputType>_<Name>_v<Version>",
            "asset": "<Asset>_<OutputType>_<Name>_<Representation>_v<Version>",
            "instance": "<Asset>_<Instance.number>_<TemporalEntityType>_<OutputType>_v<Version>",
            "episode": "<Episode>_<Name>",
            "sequence": "<Sequence>_<Name>",
            "scene": "<Scene>_<Name>",
            "style": "lowercase",
        },
    },
}

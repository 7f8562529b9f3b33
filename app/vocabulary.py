"""The camera vocabulary, aligned value-for-value with OpenStreetMap's `man_made=surveillance` scheme.

Each enum's `.value` is what we store and what the OSM tag carries; labels are translatable.
See ../shared/DOMAIN.md ("Vocabulary").
"""

import enum

from flask_babel import lazy_gettext as _l


class Vocabulary(enum.Enum):
    """An enum whose members carry a translatable label; `.value` is the stored and OSM value."""

    @property
    def label(self) -> str:
        return str(LABELS.get(self, self.value))

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs whose labels stay lazy: forms built at import time translate them per request."""
        return [(member.value, LABELS.get(member, member.value)) for member in cls]


class SurveillanceType(Vocabulary):
    CAMERA = "camera"
    ALPR = "ALPR"
    GUARD = "guard"
    GUNSHOT_DETECTOR = "gunshot_detector"


class CameraType(Vocabulary):
    FIXED = "fixed"
    DOME = "dome"
    PANNING = "panning"


class CameraMount(Vocabulary):
    POLE = "pole"
    WALL = "wall"
    CEILING = "ceiling"
    STREET_LIGHT = "street_light"
    ROOF = "roof"
    OTHER = "other"


class Setting(Vocabulary):
    PUBLIC = "public"
    OUTDOOR = "outdoor"
    INDOOR = "indoor"


class Zone(Vocabulary):
    TOWN = "town"
    TRAFFIC = "traffic"
    PARKING = "parking"
    SCHOOL = "school"
    BUILDING = "building"
    ENTRANCE = "entrance"
    SHOP = "shop"
    BANK = "bank"
    TRANSPORT = "transport"
    OTHER = "other"


class Operator(Vocabulary):
    POLICE = "police"
    MUNICIPALITY = "municipality"
    PUBLIC_COMPANY = "public_company"
    SCHOOL = "school"
    PRIVATE = "private"
    UNKNOWN = "unknown"


class Manufacturer(Vocabulary):
    HUAWEI = "Huawei"
    DAHUA = "Dahua"
    HIKVISION = "Hikvision"
    UNIVIEW = "Uniview"
    AXIS = "Axis"
    BOSCH = "Bosch"
    HANWHA = "Hanwha"
    OTHER = "other"
    UNKNOWN = "unknown"


class Capability(Vocabulary):
    """What a camera can do. OSM has no key for these; they are first-class tags of ours."""

    FACIAL_RECOGNITION = "facial_recognition"
    NUMBER_PLATE_RECOGNITION = "number_plate_recognition"
    BEHAVIOUR_ANALYTICS = "behaviour_analytics"
    AUDIO = "audio"
    INFRARED = "infrared"
    PTZ_ZOOM = "ptz_zoom"


class Evidence(Vocabulary):
    """How we know a capability claim, strongest first."""

    MODEL_IDENTIFIED = "model_identified"
    PROCUREMENT_DOCUMENT = "procurement_document"
    OFFICIAL_STATEMENT = "official_statement"
    SUSPECTED = "suspected"


class CameraStatus(Vocabulary):
    ACTIVE = "active"
    REMOVED = "removed"
    NEEDS_RESURVEY = "needs_resurvey"


class SightingState(Vocabulary):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    MERGED = "merged"


class SightingKind(Vocabulary):
    """What a report is: a camera seen (new, seen again or gone), or a correction of a camera on the map."""

    REPORT = "report"
    CORRECTION = "correction"


class CorrectionSubject(Vocabulary):
    """What a correction says is wrong with a camera on the map."""

    POSITION = "position"
    CAMERA_TYPE = "camera_type"
    MANUFACTURER_OR_MODEL = "manufacturer_or_model"
    CAPABILITY = "capability"
    OPERATOR = "operator"
    OTHER = "other"


# Cameras on the map, in the counts and in the exports' "mapped" figures: everything but removed ones. The database
# has the same set as the SQL function camera_counted(status) (migration 0004); tests/test_vocabulary.py checks both.
MAPPED_CAMERA_STATUSES = (CameraStatus.ACTIVE, CameraStatus.NEEDS_RESURVEY)
# Sightings that are part of a camera's verified record: their photos are public.
PUBLIC_SIGHTING_STATES = (SightingState.APPROVED, SightingState.MERGED)


class RejectReason(Vocabulary):
    """Why a moderator rejects a sighting (the category; a note may add to it)."""

    SPAM = "spam"
    NOT_A_CAMERA = "not_a_camera"
    DUPLICATE = "duplicate"
    UNSAFE_PHOTO = "unsafe_photo"
    OTHER = "other"


class Role(Vocabulary):
    MODERATOR = "moderator"
    ADMIN = "admin"


# OSM keys for the descriptive fields shared by cameras and sightings (attribute name -> OSM key).
OSM_KEYS = {
    "surveillance_type": "surveillance:type",
    "camera_type": "camera:type",
    "mount": "camera:mount",
    "direction": "camera:direction",
    "setting": "surveillance",
    "zone": "surveillance:zone",
    "operator": "operator",
    "manufacturer": "manufacturer",
    "model": "model",
}

# Every descriptive field a camera and a sighting share (app.models.camera.CameraDescription), in OSM-key order.
DESCRIPTION_FIELDS = (
    "surveillance_type",
    "camera_type",
    "mount",
    "direction",
    "setting",
    "zone",
    "operator",
    "operator_name",
    "manufacturer",
    "model",
)

# The descriptive fields whose value is one word of a vocabulary: forms, filters, the OSM export, the moderators'
# edit form and the models' columns all read this table.
FIELD_VOCABULARIES: dict[str, type[Vocabulary]] = {
    "surveillance_type": SurveillanceType,
    "camera_type": CameraType,
    "mount": CameraMount,
    "setting": Setting,
    "zone": Zone,
    "operator": Operator,
    "manufacturer": Manufacturer,
}
# The map's filters (URL parameters of / and GET /api/v1/cameras), in the order the map offers them.
FILTER_VOCABULARIES: dict[str, type[Vocabulary]] = {
    "capability": Capability,
    **{name: FIELD_VOCABULARIES[name] for name in ("manufacturer", "operator", "camera_type", "zone")},
    "status": CameraStatus,
}

OPERATOR_NAMES = {
    # What the OSM `operator` tag carries when only the kind of operator is known.
    "police": "Ministarstvo unutrašnjih poslova",
}


def osm_tags(obj, check_date=None) -> dict[str, str]:
    """OpenStreetMap tags for a camera or sighting (anything with the CameraDescription fields)."""
    tags = {"man_made": "surveillance"}
    for attribute, key in OSM_KEYS.items():
        value = getattr(obj, attribute, None)
        if value is None:
            continue
        if attribute == "operator":
            operator_name = getattr(obj, "operator_name", None) or OPERATOR_NAMES.get(value.value)
            if operator_name:
                tags[key] = operator_name
            continue
        if attribute in FIELD_VOCABULARIES:
            if value.value in {"unknown", "other"}:
                continue
            value = value.value
        tags[key] = str(value)
    setting = getattr(obj, "setting", None)
    if setting is not None:
        tags["surveillance"] = setting.value
    if check_date is not None:
        tags["check_date"] = check_date.isoformat()
    return tags


LABELS = {
    SurveillanceType.CAMERA: _l("Camera"),
    SurveillanceType.ALPR: _l("Number-plate reader (ALPR)"),
    SurveillanceType.GUARD: _l("Guard"),
    SurveillanceType.GUNSHOT_DETECTOR: _l("Gunshot detector"),
    CameraType.FIXED: _l("Fixed (bullet or box)"),
    CameraType.DOME: _l("Dome"),
    CameraType.PANNING: _l("Pan-tilt-zoom (PTZ)"),
    CameraMount.POLE: _l("Pole"),
    CameraMount.WALL: _l("Wall"),
    CameraMount.CEILING: _l("Ceiling"),
    CameraMount.STREET_LIGHT: _l("Street light"),
    CameraMount.ROOF: _l("Building roof"),
    CameraMount.OTHER: _l("Other"),
    Setting.PUBLIC: _l("Public space"),
    Setting.OUTDOOR: _l("Outdoor, private area"),
    Setting.INDOOR: _l("Indoor"),
    Zone.TOWN: _l("Town (streets, squares)"),
    Zone.TRAFFIC: _l("Traffic"),
    Zone.PARKING: _l("Parking"),
    Zone.SCHOOL: _l("School"),
    Zone.BUILDING: _l("Building"),
    Zone.ENTRANCE: _l("Entrance"),
    Zone.SHOP: _l("Shop"),
    Zone.BANK: _l("Bank"),
    Zone.TRANSPORT: _l("Public transport"),
    Zone.OTHER: _l("Other"),
    Operator.POLICE: _l("Police (MUP)"),
    Operator.MUNICIPALITY: _l("Municipality"),
    Operator.PUBLIC_COMPANY: _l("Public company"),
    Operator.SCHOOL: _l("School"),
    Operator.PRIVATE: _l("Private"),
    Operator.UNKNOWN: _l("Unknown"),
    Manufacturer.OTHER: _l("Other"),
    Manufacturer.UNKNOWN: _l("Unknown"),
    Capability.FACIAL_RECOGNITION: _l("Facial recognition"),
    Capability.NUMBER_PLATE_RECOGNITION: _l("Number-plate recognition (ANPR)"),
    Capability.BEHAVIOUR_ANALYTICS: _l("Behaviour / loitering analytics"),
    Capability.AUDIO: _l("Audio"),
    Capability.INFRARED: _l("Infrared night vision"),
    Capability.PTZ_ZOOM: _l("PTZ zoom"),
    Evidence.MODEL_IDENTIFIED: _l("Model identified in the photo"),
    Evidence.PROCUREMENT_DOCUMENT: _l("Procurement document"),
    Evidence.OFFICIAL_STATEMENT: _l("Official statement"),
    Evidence.SUSPECTED: _l("Suspected"),
    CameraStatus.ACTIVE: _l("Active"),
    CameraStatus.REMOVED: _l("Removed"),
    CameraStatus.NEEDS_RESURVEY: _l("Needs re-survey"),
    SightingState.PENDING: _l("Pending"),
    SightingState.APPROVED: _l("Approved"),
    SightingState.REJECTED: _l("Rejected"),
    SightingState.MERGED: _l("Merged"),
    SightingKind.REPORT: _l("Report"),
    SightingKind.CORRECTION: _l("Correction"),
    CorrectionSubject.POSITION: _l("Its position"),
    CorrectionSubject.CAMERA_TYPE: _l("Its type"),
    CorrectionSubject.MANUFACTURER_OR_MODEL: _l("Its manufacturer or model"),
    CorrectionSubject.CAPABILITY: _l("What it can do"),
    CorrectionSubject.OPERATOR: _l("Its operator"),
    CorrectionSubject.OTHER: _l("Something else"),
    RejectReason.SPAM: _l("Spam"),
    RejectReason.NOT_A_CAMERA: _l("Not a camera"),
    RejectReason.DUPLICATE: _l("Duplicate"),
    RejectReason.UNSAFE_PHOTO: _l("Unsafe photo"),
    RejectReason.OTHER: _l("Other"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Administrator"),
}

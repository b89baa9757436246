"""Industrial clusters (cụm công nghiệp), their plan and their wastewater plants.

Status is never typed in: a cluster stores the dated facts of its life (in the plan
from, established on, operating from, removed from the plan on) and its status on any
day is derived from them, in Python (`status_on`) and in the database
(`IndustrialClusterQuerySet.with_status`), so the portal can answer "how many operated
on 30/6/2019" for any day. A cluster's life is one fixed sequence with at most one date
per step and one deciding document per step, so dated columns (ordered by check
constraints) say everything an event table would, without a subquery per cluster and
without allowing an incoherent sequence of events. Wastewater plants follow the same
idea (completed on, operating from, stopped on).
"""

from clusters.models.clusters import (
    IndustrialCluster,
    IndustrialClusterQuerySet,
    served_by_operating_plant,
)
from clusters.models.common import (
    AREA_MAX_HA,
    AREA_MIN_CRAFT_VILLAGE_HA,
    AREA_MIN_HA,
    ClusterStatus,
    PlantStatus,
    in_plan_q,
    unit_q,
)
from clusters.models.plans import ClusterPlan, ClusterPlanQuerySet
from clusters.models.plants import (
    WastewaterPlant,
    WastewaterPlantCluster,
    WastewaterPlantQuerySet,
    plant_operating_q,
)

__all__ = [
    "AREA_MAX_HA",
    "AREA_MIN_CRAFT_VILLAGE_HA",
    "AREA_MIN_HA",
    "ClusterPlan",
    "ClusterPlanQuerySet",
    "ClusterStatus",
    "IndustrialCluster",
    "IndustrialClusterQuerySet",
    "PlantStatus",
    "WastewaterPlant",
    "WastewaterPlantCluster",
    "WastewaterPlantQuerySet",
    "in_plan_q",
    "plant_operating_q",
    "served_by_operating_plant",
    "unit_q",
]

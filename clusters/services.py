"""Writes that span rows: a wastewater plant together with the clusters it serves."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from clusters.models import IndustrialCluster, WastewaterPlant, WastewaterPlantCluster


@transaction.atomic
def wastewater_plant_save(
    *, plant: WastewaterPlant, clusters: Iterable[IndustrialCluster]
) -> WastewaterPlant:
    """Validate and save a plant with exactly these clusters.

    Raises ValidationError (nothing saved) when the plant's own fields are wrong,
    when it serves no cluster or clusters of several units."""
    clusters = list(clusters)
    plant.full_clean()
    WastewaterPlant.validate_clusters(clusters)
    plant.save()
    wanted = {c.pk for c in clusters}
    # Row by row, so each link added or removed is in the history.
    for link in plant.cluster_links.exclude(cluster_id__in=wanted):
        link.delete()
    have = set(plant.cluster_links.values_list("cluster_id", flat=True))
    for cluster_id in sorted(wanted - have):
        WastewaterPlantCluster.objects.create(plant=plant, cluster_id=cluster_id)
    return plant

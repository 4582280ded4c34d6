"""Overlap and boundary metrics on 2-D boolean masks, in pixel units."""
import numpy as np
from scipy import ndimage as ndi

NSD_TOLERANCE_PX = 2.0


def dice(pred, ref):
    total = pred.sum() + ref.sum()
    return 1.0 if total == 0 else 2.0 * np.logical_and(pred, ref).sum() / total


def boundary(mask):
    """Pixels of the mask with a 4-neighbour outside it (the image edge counts as outside)."""
    return mask & ~ndi.binary_erosion(mask, border_value=0)


def nsd(pred, ref, tolerance=NSD_TOLERANCE_PX):
    """Normalised surface Dice (Nikolov et al. 2018): the share of both
    boundaries lying within `tolerance` of the other boundary."""
    bp, br = boundary(pred), boundary(ref)
    if not bp.any() and not br.any():
        return 1.0
    if not bp.any() or not br.any():
        return 0.0
    # Distance from every pixel to the nearest boundary pixel of each mask.
    to_ref = ndi.distance_transform_edt(~br)
    to_pred = ndi.distance_transform_edt(~bp)
    close = (to_ref[bp] <= tolerance).sum() + (to_pred[br] <= tolerance).sum()
    return close / (bp.sum() + br.sum())

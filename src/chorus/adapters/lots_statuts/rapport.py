"""A batch's report as plain French text (the command line's output)."""

from __future__ import annotations

from chorus.domain.lots_statuts import IssueEvenement, LotStatuts


def _accord(n: int, singulier: str, pluriel: str) -> str:
    # French counts 0 and 1 in the singular.
    return singulier if n < 2 else pluriel


def bilan_du_lot(lot: LotStatuts) -> str:
    """« Lot de statuts n° LS… : 3 appliqués, 1 déjà appliqué, 0 en attente, 1 refusé. »"""
    return (
        f"Lot de statuts n° {lot.numero} : "
        f"{lot.appliques} {_accord(lot.appliques, 'appliqué', 'appliqués')}, "
        f"{lot.deja_appliques} déjà {_accord(lot.deja_appliques, 'appliqué', 'appliqués')}, "
        f"{lot.en_attente} en attente, "
        f"{lot.refuses} {_accord(lot.refuses, 'refusé', 'refusés')}."
    )


def afficher_lot(lot: LotStatuts) -> str:
    """The report: the counts, then one line per event (the refused with their field and
    reason)."""
    lignes = [bilan_du_lot(lot)]
    for r in lot.resultats:
        quoi = " ".join(
            x for x in (r.numero_memoire, r.action, r.reference_evenement) if x is not None
        )
        if r.issue is IssueEvenement.REFUSE:
            champ = f" ({r.champ})" if r.champ else ""
            issue = f"Refusé{champ} : {r.message}"
        elif r.message is None:
            issue = r.issue.libelle
        elif r.issue is IssueEvenement.DEJA_APPLIQUE:
            issue = f"{r.issue.libelle} — {r.message}"
        else:
            # Their message says it: « En attente : … », « Appliqué (en attente depuis … ».
            issue = r.message
        lignes.append(f"  {r.position:<16} {quoi} : {issue}")
    return "\n".join(lignes)

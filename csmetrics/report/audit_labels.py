"""Words of the Audit sheet in three languages, until ``csmetrics.report.labels`` has them."""

from csmetrics.kpis import KPI_BY_KEY

AUDIT_TEXTS = {
    "audit_title": {
        "en": "Audit: the headline numbers recomputed with native spreadsheet formulas",
        "fr": "Audit : les chiffres clés recalculés par des formules natives du tableur",
        "ro": "Audit: cifrele principale recalculate cu formule native ale foii de calcul",
    },
    "audit_result": {"en": "Result", "fr": "Résultat", "ro": "Rezultat"},
    "report_month": {"en": "Report month", "fr": "Mois du rapport", "ro": "Luna raportului"},
    "audit_native": {"en": "Native formula", "fr": "Formule native", "ro": "Formulă nativă"},
    "audit_engine": {"en": "Engine value", "fr": "Valeur du moteur", "ro": "Valoarea motorului"},
    "audit_difference": {"en": "Difference", "fr": "Écart", "ro": "Diferență"},
    "audit_intro": {
        "en": "Each number is recomputed here from the rows of the Inputs sheet and compared "
        "with the value csmetrics computed. PASS when every row agrees.",
        "fr": "Chaque chiffre est recalculé ici à partir des lignes de la feuille Inputs et "
        "comparé à la valeur calculée par csmetrics. PASS quand toutes les lignes concordent.",
        "ro": "Fiecare cifră este recalculată aici din rândurile foii Inputs și comparată cu "
        "valoarea calculată de csmetrics. PASS când toate rândurile concordă.",
    },
    "audit_prior_month": {"en": "Prior month", "fr": "Mois précédent", "ro": "Luna precedentă"},
    "audit_next_month": {"en": "Next month", "fr": "Mois suivant", "ro": "Luna următoare"},
    "audit_month_end": {"en": "Month end", "fr": "Fin du mois", "ro": "Sfârșitul lunii"},
    "audit_days": {"en": "Days in month", "fr": "Jours du mois", "ro": "Zile în lună"},
    "audit_number": {"en": "Number", "fr": "Chiffre", "ro": "Cifra"},
    "audit_tolerance": {"en": "Tolerance", "fr": "Tolérance", "ro": "Toleranță"},
    "audit_status": {"en": "Status", "fr": "Statut", "ro": "Stare"},
    "audit_movements": {
        "en": "MRR movements by customer",
        "fr": "Mouvements de MRR par client",
        "ro": "Mișcările MRR pe client",
    },
    "audit_bridge_difference": {
        "en": "MRR bridge: start + movements - end (0)",
        "fr": "Pont de MRR : début + mouvements - fin (0)",
        "ro": "Puntea MRR: început + mișcări - sfârșit (0)",
    },
    "audit_movements_start_total": {
        "en": "MRR at start, summed by customer",
        "fr": "MRR en début de mois, somme par client",
        "ro": "MRR la începutul lunii, însumat pe clienți",
    },
    "audit_movements_end_total": {
        "en": "MRR at end, summed by customer",
        "fr": "MRR en fin de mois, somme par client",
        "ro": "MRR la sfârșitul lunii, însumat pe clienți",
    },
    "audit_movement_mismatches": {
        "en": "Customers whose movement differs (0)",
        "fr": "Clients dont le mouvement diffère (0)",
        "ro": "Clienți a căror mișcare diferă (0)",
    },
    "audit_customer_id": {"en": "Customer", "fr": "Client", "ro": "Client"},
    "audit_mrr_previous": {
        "en": "MRR prior month",
        "fr": "MRR du mois précédent",
        "ro": "MRR luna precedentă",
    },
    "audit_mrr": {"en": "MRR", "fr": "MRR", "ro": "MRR"},
    "audit_movement": {"en": "Movement", "fr": "Mouvement", "ro": "Mișcare"},
    "audit_previous": {
        "en": "MRR prior month, recomputed",
        "fr": "MRR du mois précédent, recalculé",
        "ro": "MRR luna precedentă, recalculat",
    },
    "audit_current": {"en": "MRR, recomputed", "fr": "MRR, recalculé", "ro": "MRR, recalculat"},
    "audit_check": {
        "en": "Movement, recomputed",
        "fr": "Mouvement, recalculé",
        "ro": "Mișcare, recalculată",
    },
    **{
        f"audit_nps_{score}": {
            "en": f"NPS answers scoring {score}",
            "fr": f"Réponses NPS notées {score}",
            "ro": f"Răspunsuri NPS cu nota {score}",
        }
        for score in range(11)
    },
}


def label(key, lang="en"):
    """The label of ``key`` (an Audit word, or a KPI key in English)."""
    if key in AUDIT_TEXTS:
        return AUDIT_TEXTS[key][lang]
    return KPI_BY_KEY[key].label

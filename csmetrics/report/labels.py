"""Report texts in English, French and Romanian (the languages of the source articles).

Pure data and two lookups: :func:`label` for the name of a KPI or a sheet text, and
:func:`definition` for a KPI's formula in words. The template generator and the batch
filler both read them, so a report says the same thing whichever tool wrote it. English KPI
names come from :mod:`csmetrics.kpis` (one definition); French and Romanian are here.
"""

from csmetrics.kpis import KPI_BY_KEY

LANGUAGES = ("en", "fr", "ro")

ARTICLES = {
    "000": "« Les mesures de rétention des clients » (question-réponse, fr)",
    "001": "„Ce valori de succes a clienților ar trebui să utilizați?” (ro, 2022-10-08)",
    "002": "« Comment calculer et booster le taux de fidélisation client » (fr, 2017-11-17)",
    "003": "« 7 indicateurs de réussite client que vous devriez suivre » (fr)",
    "004": "« Top 7 indicateurs de réussite client à surveiller pour la croissance "
    "de l'entreprise » (fr)",
}
"""The source articles (``shared/seeds``), cited by number in the Definitions sheets."""

KPI_NAMES = {
    "mrr_start": {"fr": "MRR en début de mois", "ro": "MRR la începutul lunii"},
    "new": {"fr": "MRR nouveau", "ro": "MRR nou"},
    "expansion": {"fr": "MRR d'expansion", "ro": "MRR din expansiune"},
    "contraction": {"fr": "MRR de contraction", "ro": "MRR din contracție"},
    "churned": {"fr": "MRR perdu (résiliations)", "ro": "MRR pierdut (rezilieri)"},
    "reactivation": {"fr": "MRR de réactivation", "ro": "MRR din reactivări"},
    "mrr_end": {"fr": "MRR en fin de mois", "ro": "MRR la sfârșitul lunii"},
    "customers_start": {"fr": "Clients en début de mois", "ro": "Clienți la începutul lunii"},
    "customers_new": {"fr": "Nouveaux clients", "ro": "Clienți noi"},
    "customers_lost": {"fr": "Clients perdus", "ro": "Clienți pierduți"},
    "customers_end": {"fr": "Clients en fin de mois", "ro": "Clienți la sfârșitul lunii"},
    "crr": {"fr": "Taux de fidélisation client", "ro": "Rata de retenție a clienților"},
    "logo_churn": {
        "fr": "Taux d'attrition des clients (logo churn)",
        "ro": "Rata de pierdere a clienților (logo churn)",
    },
    "gross_mrr_churn": {"fr": "Attrition brute du MRR", "ro": "Pierderea brută de MRR"},
    "net_mrr_churn": {"fr": "Attrition nette du MRR", "ro": "Pierderea netă de MRR"},
    "mrr_churn": {
        "fr": "Attrition du revenu (formule de la source)",
        "ro": "Pierderea de venit (formula sursei)",
    },
    "expansion_rate": {"fr": "Taux d'expansion", "ro": "Rata de expansiune"},
    "grr": {"fr": "Rétention brute du revenu", "ro": "Retenția brută a veniturilor"},
    "nrr": {"fr": "Rétention nette du revenu", "ro": "Retenția netă a veniturilor"},
    "revenue_growth": {"fr": "Croissance du MRR", "ro": "Creșterea MRR"},
    "quick_ratio": {"fr": "Quick ratio", "ro": "Quick ratio"},
    "arpa": {"fr": "ARPA (revenu moyen par compte)", "ro": "ARPA (venit mediu pe cont)"},
    "nps": {"fr": "Net Promoter Score", "ro": "Net Promoter Score"},
    "nps_moe": {
        "fr": "Marge d'erreur du NPS (95 %)",
        "ro": "Marja de eroare a NPS (95 %)",
    },
    "nps_responses": {"fr": "Réponses NPS", "ro": "Răspunsuri NPS"},
    "csat": {"fr": "Satisfaction client (CSAT)", "ro": "Satisfacția clienților (CSAT)"},
    "ces": {"fr": "Score d'effort client (CES)", "ro": "Scorul efortului clientului (CES)"},
    "fcr": {"fr": "Résolution au premier contact", "ro": "Rezolvare la primul contact"},
    "repeat_purchase_rate": {"fr": "Taux de réachat", "ro": "Rata de recumpărare"},
    "return_rate": {"fr": "Taux de retour des produits", "ro": "Rata de returnare a produselor"},
    "credit_sales": {"fr": "Ventes à crédit", "ro": "Vânzări pe credit"},
    "receivables": {
        "fr": "Créances clients en fin de mois",
        "ro": "Creanțe la sfârșitul lunii",
    },
    "dso": {"fr": "Délai moyen de recouvrement (DSO)", "ro": "Durata medie de încasare (DSO)"},
    "dso_countback": {"fr": "DSO (méthode par épuisement)", "ro": "DSO (metoda retrospectivă)"},
    "ar_current": {"fr": "Créances non échues", "ro": "Creanțe neajunse la scadență"},
    "ar_1_30": {"fr": "Créances échues de 1 à 30 jours", "ro": "Creanțe restante 1-30 de zile"},
    "ar_31_60": {
        "fr": "Créances échues de 31 à 60 jours",
        "ro": "Creanțe restante 31-60 de zile",
    },
    "ar_61_90": {
        "fr": "Créances échues de 61 à 90 jours",
        "ro": "Creanțe restante 61-90 de zile",
    },
    "ar_over_90": {
        "fr": "Créances échues depuis plus de 90 jours",
        "ro": "Creanțe restante de peste 90 de zile",
    },
    "sales_marketing_cost": {
        "fr": "Coûts commerciaux et marketing",
        "ro": "Costuri de vânzări și marketing",
    },
    "cac": {"fr": "Coût d'acquisition client", "ro": "Costul de achiziție a unui client"},
    "ltv": {
        "fr": "Valeur vie client (abonnement)",
        "ro": "Valoarea pe durata de viață a clientului (abonament)",
    },
    "clv_cac": {"fr": "CLV / CAC", "ro": "CLV / CAC"},
    "cac_payback_months": {
        "fr": "Délai de récupération du CAC (mois)",
        "ro": "Perioada de recuperare a CAC (luni)",
    },
}

TEXTS = {
    "title_monthly_kpi_report": {
        "en": "Monthly KPI report",
        "fr": "Rapport mensuel des indicateurs clés",
        "ro": "Raport lunar al indicatorilor cheie",
    },
    "title_nps_survey": {"en": "NPS survey", "fr": "Enquête NPS", "ro": "Sondaj NPS"},
    "title_receivables_dso": {
        "en": "Receivables and days sales outstanding",
        "fr": "Créances clients et délai moyen de recouvrement",
        "ro": "Creanțe și durata medie de încasare",
    },
    "title_unit_economics": {
        "en": "Unit economics: CAC, LTV and CLV / CAC",
        "fr": "Économie unitaire : CAC, LTV et CLV / CAC",
        "ro": "Economia unitară: CAC, LTV și CLV / CAC",
    },
    "title_cohort_retention": {
        "en": "Cohort retention",
        "fr": "Rétention par cohorte",
        "ro": "Retenția pe cohorte",
    },
    "title_trend": {
        "en": "Trend over the last 12 months",
        "fr": "Tendance sur les 12 derniers mois",
        "ro": "Tendința în ultimele 12 luni",
    },
    "title_definitions": {"en": "Definitions", "fr": "Définitions", "ro": "Definiții"},
    "live_note": {
        "en": "Type the report month (first day of the month) and paste your data on the "
        "Inputs sheet; the figures compute with the csmetrics add-in (CS_ functions).",
        "fr": "Saisissez le mois du rapport (premier jour du mois) et collez vos données dans "
        "la feuille Inputs ; les chiffres se calculent avec le complément csmetrics "
        "(fonctions CS_).",
        "ro": "Introduceți luna raportului (prima zi a lunii) și lipiți datele în foaia "
        "Inputs; cifrele se calculează cu add-in-ul csmetrics (funcțiile CS_).",
    },
    "report_month": {"en": "Report month", "fr": "Mois du rapport", "ro": "Luna raportului"},
    "report_segment": {"en": "Segment", "fr": "Segment", "ro": "Segment"},
    "all_segments": {"en": "All", "fr": "Tous", "ro": "Toate"},
    "indicator": {"en": "Indicator", "fr": "Indicateur", "ro": "Indicator"},
    "current": {"en": "Current month", "fr": "Mois en cours", "ro": "Luna curentă"},
    "prior": {"en": "Prior month", "fr": "Mois précédent", "ro": "Luna anterioară"},
    "change": {"en": "Change", "fr": "Variation", "ro": "Variație"},
    "value": {"en": "Value", "fr": "Valeur", "ro": "Valoare"},
    "month": {"en": "Month", "fr": "Mois", "ro": "Luna"},
    "section_mrr": {
        "en": "Recurring revenue (MRR)",
        "fr": "Revenu récurrent mensuel (MRR)",
        "ro": "Venit recurent lunar (MRR)",
    },
    "section_customers": {"en": "Customers", "fr": "Clients", "ro": "Clienți"},
    "section_revenue_retention": {
        "en": "Revenue retention",
        "fr": "Rétention du revenu",
        "ro": "Retenția veniturilor",
    },
    "section_experience": {
        "en": "Customer experience",
        "fr": "Expérience client",
        "ro": "Experiența clienților",
    },
    "section_orders": {"en": "Orders", "fr": "Commandes", "ro": "Comenzi"},
    "section_receivables": {"en": "Receivables", "fr": "Créances", "ro": "Creanțe"},
    "section_unit_economics": {
        "en": "Unit economics",
        "fr": "Économie unitaire",
        "ro": "Economia unitară",
    },
    "section_ageing": {
        "en": "Ageing of open invoices at month end",
        "fr": "Balance âgée des factures ouvertes en fin de mois",
        "ro": "Vechimea facturilor neîncasate la sfârșitul lunii",
    },
    "section_breakdown": {
        "en": "Promoters, passives and detractors",
        "fr": "Promoteurs, passifs et détracteurs",
        "ro": "Promotori, pasivi și detractori",
    },
    "section_distribution": {
        "en": "NPS answers by score",
        "fr": "Réponses NPS par note",
        "ro": "Răspunsuri NPS pe note",
    },
    "section_cohorts": {
        "en": "Share of each cohort's customers still paying, by months since their first "
        "payment",
        "fr": "Part des clients de chaque cohorte qui paient encore, selon les mois écoulés "
        "depuis leur premier paiement",
        "ro": "Ponderea clienților fiecărei cohorte care încă plătesc, după lunile scurse de "
        "la prima plată",
    },
    "score": {"en": "Score", "fr": "Note", "ro": "Notă"},
    "answers": {"en": "Answers", "fr": "Réponses", "ro": "Răspunsuri"},
    "share": {"en": "Share", "fr": "Part", "ro": "Pondere"},
    "promoters": {"en": "Promoters (9-10)", "fr": "Promoteurs (9-10)", "ro": "Promotori (9-10)"},
    "passives": {"en": "Passives (7-8)", "fr": "Passifs (7-8)", "ro": "Pasivi (7-8)"},
    "detractors": {
        "en": "Detractors (0-6)",
        "fr": "Détracteurs (0-6)",
        "ro": "Detractori (0-6)",
    },
    "nps_low": {
        "en": "NPS, low end of the 95 % interval",
        "fr": "NPS, borne basse de l'intervalle à 95 %",
        "ro": "NPS, limita inferioară a intervalului de 95 %",
    },
    "nps_high": {
        "en": "NPS, high end of the 95 % interval",
        "fr": "NPS, borne haute de l'intervalle à 95 %",
        "ro": "NPS, limita superioară a intervalului de 95 %",
    },
    "gross_margin": {"en": "Gross margin", "fr": "Marge brute", "ro": "Marja brută"},
    "cohort": {"en": "Cohort", "fr": "Cohorte", "ro": "Cohortă"},
    "chart_mrr_trend": {
        "en": "MRR at month end, last 12 months",
        "fr": "MRR en fin de mois, 12 derniers mois",
        "ro": "MRR la sfârșitul lunii, ultimele 12 luni",
    },
    "chart_mrr_bridge": {
        "en": "MRR movements of the month",
        "fr": "Mouvements du MRR du mois",
        "ro": "Mișcările MRR din lună",
    },
    "chart_nps_distribution": {
        "en": "NPS answers by score",
        "fr": "Réponses NPS par note",
        "ro": "Răspunsuri NPS pe note",
    },
    "chart_ageing": {
        "en": "Open invoices by age",
        "fr": "Factures ouvertes par ancienneté",
        "ro": "Facturi neîncasate după vechime",
    },
    "chart_clv_cac": {
        "en": "CLV / CAC against the 1:1 and 3:1 guide lines",
        "fr": "CLV / CAC face aux repères 1:1 et 3:1",
        "ro": "CLV / CAC față de reperele 1:1 și 3:1",
    },
    "guide_break_even": {
        "en": "1:1 break-even",
        "fr": "1:1 seuil de rentabilité",
        "ro": "1:1 prag de rentabilitate",
    },
    "guide_healthy": {"en": "3:1 healthy", "fr": "3:1 sain", "ro": "3:1 sănătos"},
    "defined_name": {"en": "Defined name", "fr": "Nom défini", "ro": "Nume definit"},
    "definition": {
        "en": "Formula in words",
        "fr": "Formule en mots",
        "ro": "Formula în cuvinte",
    },
    "source": {"en": "Source", "fr": "Source", "ro": "Sursă"},
    "sources": {
        "en": "Source articles",
        "fr": "Articles sources",
        "ro": "Articolele sursă",
    },
    "article": {"en": "Article", "fr": "Article", "ro": "Articolul"},
    "articles": {"en": "Articles", "fr": "Articles", "ro": "Articolele"},
    "no_article": {
        "en": "Standard SaaS definition (no source article)",
        "fr": "Définition SaaS usuelle (aucun article source)",
        "ro": "Definiție SaaS uzuală (niciun articol sursă)",
    },
    "definitions_intro": {
        "en": "Each indicator of this report, the name of its cell and its formula in words. "
        "The month is the report month; the start of the month is the month before.",
        "fr": "Chaque indicateur du rapport, le nom de sa cellule et sa formule en mots. "
        "Le mois est le mois du rapport ; le début du mois est le mois précédent.",
        "ro": "Fiecare indicator al raportului, numele celulei sale și formula în cuvinte. "
        "Luna este luna raportului; începutul lunii este luna precedentă.",
    },
    "definition_report_month": {
        "en": "First day of the report month (shown as yyyy-mm). In the live template you type "
        "it.",
        "fr": "Premier jour du mois du rapport (affiché aaaa-mm). Dans le modèle dynamique, "
        "vous le saisissez.",
        "ro": "Prima zi a lunii raportului (afișată aaaa-ll). În șablonul dinamic o "
        "introduceți dumneavoastră.",
    },
    "definition_report_segment": {
        "en": "The segment the report covers; All when the data is not segmented.",
        "fr": "Le segment couvert par le rapport ; Tous quand les données ne sont pas "
        "segmentées.",
        "ro": "Segmentul acoperit de raport; Toate când datele nu sunt segmentate.",
    },
    "definition_change": {
        "en": "Change = current month - prior month (in percentage points for rates).",
        "fr": "Variation = mois en cours - mois précédent (en points de pourcentage pour les "
        "taux).",
        "ro": "Variație = luna curentă - luna anterioară (în puncte procentuale pentru rate).",
    },
    "definition_trend": {
        "en": "Sheet Trend: the same indicators for each of the last 12 months, oldest first "
        "(names trend_month and trend_<indicator>).",
        "fr": "Feuille Trend : les mêmes indicateurs pour chacun des 12 derniers mois, du plus "
        "ancien au plus récent (noms trend_month et trend_<indicateur>).",
        "ro": "Foaia Trend: aceiași indicatori pentru fiecare din ultimele 12 luni, de la cea "
        "mai veche (nume trend_month și trend_<indicator>).",
    },
    "definition_nps_distribution": {
        "en": "Number of answers to the nps survey dated in the month, for each score from 0 "
        "to 10. Promoters, passives and detractors are sums of these counts.",
        "fr": "Nombre de réponses à l'enquête nps datées du mois, pour chaque note de 0 à 10. "
        "Promoteurs, passifs et détracteurs sont des sommes de ces nombres.",
        "ro": "Numărul de răspunsuri la sondajul nps datate în lună, pentru fiecare notă de la "
        "0 la 10. Promotorii, pasivii și detractorii sunt sume ale acestor numere.",
    },
    "definition_cohort_table": {
        "en": "A cohort is the customers whose first month with MRR above zero is the same "
        "month (the 24 months up to the report month). Each cell: customers of the cohort "
        "with MRR above zero n months later / customers of the cohort.",
        "fr": "Une cohorte regroupe les clients dont le premier mois avec un MRR supérieur à "
        "zéro est le même (les 24 mois jusqu'au mois du rapport). Chaque cellule : clients "
        "de la cohorte avec un MRR supérieur à zéro n mois plus tard / clients de la "
        "cohorte.",
        "ro": "O cohortă reunește clienții a căror primă lună cu MRR peste zero este aceeași "
        "(cele 24 de luni până la luna raportului). Fiecare celulă: clienții cohortei cu "
        "MRR peste zero după n luni / clienții cohortei.",
    },
    "definition_gross_margin": {
        "en": "Gross margin of the report month, from SpendData, as a fraction of revenue.",
        "fr": "Marge brute du mois du rapport, tirée de SpendData, en fraction du revenu.",
        "ro": "Marja brută a lunii raportului, din SpendData, ca fracție din venit.",
    },
    "chart_data": {
        "en": "Chart data",
        "fr": "Données du graphique",
        "ro": "Datele graficului",
    },
    "filled_note": {
        "en": "Filled by csmetrics: the figures are values, no add-in needed; the Inputs sheet "
        "holds the month's rows and the Audit sheet recomputes the headline numbers from "
        "them with native formulas.",
        "fr": "Rempli par csmetrics : les chiffres sont des valeurs, sans complément ; la "
        "feuille Inputs contient les lignes du mois et la feuille Audit en recalcule les "
        "chiffres clés avec des formules natives.",
        "ro": "Completat de csmetrics: cifrele sunt valori, fără add-in; foaia Inputs conține "
        "rândurile lunii, iar foaia Audit recalculează din ele cifrele principale cu "
        "formule native.",
    },
    "audit_title": {
        "en": "Audit: the headline numbers recomputed with native spreadsheet formulas",
        "fr": "Audit : les chiffres clés recalculés par des formules natives du tableur",
        "ro": "Audit: cifrele principale recalculate cu formule native ale foii de calcul",
    },
    "audit_result": {"en": "Result", "fr": "Résultat", "ro": "Rezultat"},
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

DEFINITIONS = {
    "mrr_start": {
        "en": "Sum of the MRR of all customers in the month before the report month.",
        "fr": "Somme du MRR de tous les clients le mois précédant le mois du rapport.",
        "ro": "Suma MRR a tuturor clienților în luna dinaintea lunii raportului.",
    },
    "new": {
        "en": "MRR this month of the customers who pay for the first time (no MRR in any "
        "earlier month).",
        "fr": "MRR du mois des clients qui paient pour la première fois (aucun MRR les mois "
        "précédents).",
        "ro": "MRR din lună al clienților care plătesc pentru prima dată (fără MRR în lunile "
        "anterioare).",
    },
    "expansion": {
        "en": "For the customers who paid last month and pay more this month: this month's "
        "MRR minus last month's, summed.",
        "fr": "Pour les clients qui payaient le mois dernier et paient davantage ce mois-ci : "
        "MRR du mois moins MRR du mois dernier, additionné.",
        "ro": "Pentru clienții care au plătit luna trecută și plătesc mai mult luna aceasta: "
        "MRR din lună minus MRR din luna trecută, însumat.",
    },
    "contraction": {
        "en": "For the customers who paid last month and pay less, but more than zero, this "
        "month: last month's MRR minus this month's, summed.",
        "fr": "Pour les clients qui payaient le mois dernier et paient moins, mais plus que "
        "zéro, ce mois-ci : MRR du mois dernier moins MRR du mois, additionné.",
        "ro": "Pentru clienții care au plătit luna trecută și plătesc mai puțin, dar peste "
        "zero, luna aceasta: MRR din luna trecută minus MRR din lună, însumat.",
    },
    "churned": {
        "en": "Last month's MRR of the customers who paid last month and pay nothing this "
        "month.",
        "fr": "MRR du mois dernier des clients qui payaient le mois dernier et ne paient plus "
        "rien ce mois-ci.",
        "ro": "MRR din luna trecută al clienților care au plătit luna trecută și nu mai plătesc "
        "nimic luna aceasta.",
    },
    "reactivation": {
        "en": "MRR this month of the customers who paid in an earlier month, paid nothing last "
        "month and pay again.",
        "fr": "MRR du mois des clients qui ont payé un mois antérieur, rien le mois dernier, et "
        "paient de nouveau.",
        "ro": "MRR din lună al clienților care au plătit într-o lună anterioară, nimic luna "
        "trecută, și plătesc din nou.",
    },
    "mrr_end": {
        "en": "Sum of the MRR of all customers in the report month. It always equals start + "
        "new + expansion + reactivation - contraction - churned.",
        "fr": "Somme du MRR de tous les clients le mois du rapport. Il est toujours égal à "
        "début + nouveau + expansion + réactivation - contraction - perdu.",
        "ro": "Suma MRR a tuturor clienților în luna raportului. Este mereu egală cu început + "
        "nou + expansiune + reactivare - contracție - pierdut.",
    },
    "customers_start": {
        "en": "Customers with MRR above zero in the month before.",
        "fr": "Clients dont le MRR est supérieur à zéro le mois précédent.",
        "ro": "Clienți cu MRR peste zero în luna precedentă.",
    },
    "customers_new": {
        "en": "Customers with MRR above zero this month and none last month (new and "
        "reactivated customers).",
        "fr": "Clients dont le MRR est supérieur à zéro ce mois-ci et nul le mois dernier "
        "(nouveaux clients et clients réactivés).",
        "ro": "Clienți cu MRR peste zero luna aceasta și zero luna trecută (clienți noi și "
        "reactivați).",
    },
    "customers_lost": {
        "en": "Customers with MRR above zero last month and none this month.",
        "fr": "Clients dont le MRR était supérieur à zéro le mois dernier et est nul ce mois-ci.",
        "ro": "Clienți cu MRR peste zero luna trecută și zero luna aceasta.",
    },
    "customers_end": {
        "en": "Customers with MRR above zero this month.",
        "fr": "Clients dont le MRR est supérieur à zéro ce mois-ci.",
        "ro": "Clienți cu MRR peste zero luna aceasta.",
    },
    "crr": {
        "en": "(customers at end - new customers) / customers at start. Article 002's "
        "example: (90 - 30) / 70 = 85.7 %.",
        "fr": "(clients en fin de mois - nouveaux clients) / clients en début de mois. "
        "Exemple de l'article 002 : (90 - 30) / 70 = 85,7 %.",
        "ro": "(clienți la sfârșitul lunii - clienți noi) / clienți la începutul lunii. "
        "Exemplul articolului 002: (90 - 30) / 70 = 85,7 %.",
    },
    "logo_churn": {
        "en": "customers lost / customers at start; new customers are left out (article 003). "
        "Article 000's (start - end) / start is not used: new customers would hide the "
        "losses.",
        "fr": "clients perdus / clients en début de mois ; les nouveaux clients sont exclus "
        "(article 003). La formule (début - fin) / début de l'article 000 n'est pas "
        "retenue : les nouveaux clients masqueraient les pertes.",
        "ro": "clienți pierduți / clienți la începutul lunii; clienții noi sunt excluși "
        "(articolul 003). Formula (început - sfârșit) / început din articolul 000 nu este "
        "folosită: clienții noi ar ascunde pierderile.",
    },
    "gross_mrr_churn": {
        "en": "(churned MRR + contraction MRR) / MRR at start.",
        "fr": "(MRR perdu + MRR de contraction) / MRR en début de mois.",
        "ro": "(MRR pierdut + MRR din contracție) / MRR la începutul lunii.",
    },
    "net_mrr_churn": {
        "en": "(churned MRR + contraction MRR - expansion MRR) / MRR at start; below zero "
        "means expansion outweighs the losses.",
        "fr": "(MRR perdu + MRR de contraction - MRR d'expansion) / MRR en début de mois ; "
        "négatif quand l'expansion dépasse les pertes.",
        "ro": "(MRR pierdut + MRR din contracție - MRR din expansiune) / MRR la începutul "
        "lunii; negativ când expansiunea depășește pierderile.",
    },
    "mrr_churn": {
        "en": "((MRR at start - MRR left from those customers before upgrades) - expansion) / "
        "MRR at start, with the MRR left = start - churned - contraction; it then equals "
        "the net MRR churn.",
        "fr": "((MRR en début de mois - MRR restant de ces clients avant hausses) - "
        "expansion) / MRR en début de mois, avec MRR restant = début - perdu - "
        "contraction ; il est alors égal à l'attrition nette du MRR.",
        "ro": "((MRR la începutul lunii - MRR rămas de la acești clienți înainte de "
        "majorări) - expansiune) / MRR la începutul lunii, cu MRR rămas = început - "
        "pierdut - contracție; este atunci egal cu pierderea netă de MRR.",
    },
    "expansion_rate": {
        "en": "expansion MRR / MRR at start.",
        "fr": "MRR d'expansion / MRR en début de mois.",
        "ro": "MRR din expansiune / MRR la începutul lunii.",
    },
    "grr": {
        "en": "(MRR at start - churned MRR - contraction MRR) / MRR at start; expansion is "
        "not counted.",
        "fr": "(MRR en début de mois - MRR perdu - MRR de contraction) / MRR en début de "
        "mois ; l'expansion n'est pas comptée.",
        "ro": "(MRR la începutul lunii - MRR pierdut - MRR din contracție) / MRR la începutul "
        "lunii; expansiunea nu se numără.",
    },
    "nrr": {
        "en": "(MRR at start - churned MRR - contraction MRR + expansion MRR) / MRR at start; "
        "reactivations are not counted.",
        "fr": "(MRR en début de mois - MRR perdu - MRR de contraction + MRR d'expansion) / "
        "MRR en début de mois ; les réactivations ne sont pas comptées.",
        "ro": "(MRR la începutul lunii - MRR pierdut - MRR din contracție + MRR din "
        "expansiune) / MRR la începutul lunii; reactivările nu se numără.",
    },
    "revenue_growth": {
        "en": "Growth of the MRR of the customers present at the start: (expansion MRR - "
        "contraction MRR - churned MRR) / MRR at start; new and reactivated customers are "
        "left out.",
        "fr": "Croissance du MRR des clients présents en début de mois : (MRR d'expansion - "
        "MRR de contraction - MRR perdu) / MRR en début de mois ; les nouveaux clients et "
        "les clients réactivés sont exclus.",
        "ro": "Creșterea MRR a clienților prezenți la începutul lunii: (MRR din expansiune - "
        "MRR din contracție - MRR pierdut) / MRR la începutul lunii; clienții noi și cei "
        "reactivați sunt excluși.",
    },
    "quick_ratio": {
        "en": "(new + expansion + reactivation MRR) / (contraction + churned MRR): MRR "
        "gained for each unit lost.",
        "fr": "(MRR nouveau + expansion + réactivation) / (MRR de contraction + perdu) : MRR "
        "gagné pour chaque unité perdue.",
        "ro": "(MRR nou + expansiune + reactivare) / (MRR din contracție + pierdut): MRR "
        "câștigat pentru fiecare unitate pierdută.",
    },
    "arpa": {
        "en": "MRR at end / customers at end.",
        "fr": "MRR en fin de mois / clients en fin de mois.",
        "ro": "MRR la sfârșitul lunii / clienți la sfârșitul lunii.",
    },
    "nps": {
        "en": "Answers to the nps survey dated in the month, 0-10 scale: % promoters (9-10) "
        "- % detractors (0-6), from -100 to +100.",
        "fr": "Réponses à l'enquête nps datées du mois, échelle 0-10 : % de promoteurs (9-10) "
        "- % de détracteurs (0-6), de -100 à +100.",
        "ro": "Răspunsurile la sondajul nps datate în lună, scala 0-10: % promotori (9-10) "
        "- % detractori (0-6), de la -100 la +100.",
    },
    "nps_moe": {
        "en": "1.96 x 100 x square root of ((p + d - (p - d)^2) / n), with p and d the shares "
        "of promoters and detractors and n the answers: half the width of the 95 % "
        "confidence interval.",
        "fr": "1,96 x 100 x racine carrée de ((p + d - (p - d)^2) / n), où p et d sont les "
        "parts de promoteurs et de détracteurs et n le nombre de réponses : la "
        "demi-largeur de l'intervalle de confiance à 95 %.",
        "ro": "1,96 x 100 x rădăcina pătrată din ((p + d - (p - d)^2) / n), unde p și d sunt "
        "ponderile promotorilor și detractorilor, iar n numărul de răspunsuri: jumătate "
        "din lățimea intervalului de încredere de 95 %.",
    },
    "nps_responses": {
        "en": "Number of answers to the nps survey dated in the month.",
        "fr": "Nombre de réponses à l'enquête nps datées du mois.",
        "ro": "Numărul de răspunsuri la sondajul nps datate în lună.",
    },
    "csat": {
        "en": "Share of the csat answers of the month (1-5 scale) that are 4 or 5. Article "
        "003 counts 6 and above on a 1-10 scale.",
        "fr": "Part des réponses csat du mois (échelle 1-5) égales à 4 ou 5. L'article 003 "
        "compte 6 et plus sur une échelle 1-10.",
        "ro": "Ponderea răspunsurilor csat din lună (scala 1-5) egale cu 4 sau 5. Articolul "
        "003 numără 6 și peste pe o scală 1-10.",
    },
    "ces": {
        "en": "Average of the ces answers of the month (1-7 agreement with \"it was easy "
        "to ...\"); higher is easier.",
        "fr": "Moyenne des réponses ces du mois (accord de 1 à 7 avec « c'était facile "
        "de ... ») ; plus c'est haut, plus c'est facile.",
        "ro": "Media răspunsurilor ces din lună (acord de la 1 la 7 cu „a fost ușor "
        "să ...”); mai mare înseamnă mai ușor.",
    },
    "fcr": {
        "en": "Tickets opened in the month and resolved at the first contact / tickets opened "
        "in the month.",
        "fr": "Tickets ouverts dans le mois et résolus au premier contact / tickets ouverts "
        "dans le mois.",
        "ro": "Tichete deschise în lună și rezolvate la primul contact / tichete deschise în "
        "lună.",
    },
    "repeat_purchase_rate": {
        "en": "Customers with two or more orders in the month / customers with at least one "
        "order in the month.",
        "fr": "Clients ayant passé au moins deux commandes dans le mois / clients ayant passé "
        "au moins une commande dans le mois.",
        "ro": "Clienți cu cel puțin două comenzi în lună / clienți cu cel puțin o comandă în "
        "lună.",
    },
    "return_rate": {
        "en": "Units returned / units sold, over the orders dated in the month.",
        "fr": "Unités retournées / unités vendues, sur les commandes datées du mois.",
        "ro": "Unități returnate / unități vândute, pentru comenzile datate în lună.",
    },
    "credit_sales": {
        "en": "Sum of the amounts of the invoices issued in the month.",
        "fr": "Somme des montants des factures émises dans le mois.",
        "ro": "Suma valorilor facturilor emise în lună.",
    },
    "receivables": {
        "en": "Sum of the amounts of the invoices issued by the end of the month and not paid "
        "by then.",
        "fr": "Somme des montants des factures émises avant la fin du mois et non payées à "
        "cette date.",
        "ro": "Suma valorilor facturilor emise până la sfârșitul lunii și neplătite până "
        "atunci.",
    },
    "dso": {
        "en": "receivables at month end / credit sales of the month x days in the month.",
        "fr": "créances en fin de mois / ventes à crédit du mois x jours du mois.",
        "ro": "creanțe la sfârșitul lunii / vânzări pe credit din lună x zilele lunii.",
    },
    "dso_countback": {
        "en": "Walking back from the report month over up to 24 months: each month whose "
        "credit sales are wholly covered by the receivables still unmatched adds all its "
        "days; the first month that is not adds its days pro rata (unmatched / its sales "
        "x its days).",
        "fr": "En remontant depuis le mois du rapport, sur 24 mois au plus : chaque mois dont "
        "les ventes à crédit sont entièrement couvertes par les créances restantes ajoute "
        "tous ses jours ; le premier mois qui ne l'est pas ajoute ses jours au prorata "
        "(restant / ses ventes x ses jours).",
        "ro": "Mergând înapoi de la luna raportului, pe cel mult 24 de luni: fiecare lună ale "
        "cărei vânzări pe credit sunt acoperite integral de creanțele rămase adaugă toate "
        "zilele sale; prima lună care nu este acoperită adaugă zilele proporțional "
        "(rămas / vânzările ei x zilele ei).",
    },
    "ar_current": {
        "en": "Open invoices at month end whose due date is on or after the last day of the "
        "month.",
        "fr": "Factures ouvertes en fin de mois dont l'échéance tombe le dernier jour du mois "
        "ou après.",
        "ro": "Facturi neîncasate la sfârșitul lunii cu scadența în ultima zi a lunii sau "
        "după.",
    },
    "ar_1_30": {
        "en": "Open invoices at month end that fell due 1 to 30 days before the last day of "
        "the month.",
        "fr": "Factures ouvertes en fin de mois échues 1 à 30 jours avant le dernier jour du "
        "mois.",
        "ro": "Facturi neîncasate la sfârșitul lunii ajunse la scadență cu 1-30 de zile "
        "înainte de ultima zi a lunii.",
    },
    "ar_31_60": {
        "en": "Open invoices at month end that fell due 31 to 60 days before the last day of "
        "the month.",
        "fr": "Factures ouvertes en fin de mois échues 31 à 60 jours avant le dernier jour du "
        "mois.",
        "ro": "Facturi neîncasate la sfârșitul lunii ajunse la scadență cu 31-60 de zile "
        "înainte de ultima zi a lunii.",
    },
    "ar_61_90": {
        "en": "Open invoices at month end that fell due 61 to 90 days before the last day of "
        "the month.",
        "fr": "Factures ouvertes en fin de mois échues 61 à 90 jours avant le dernier jour du "
        "mois.",
        "ro": "Facturi neîncasate la sfârșitul lunii ajunse la scadență cu 61-90 de zile "
        "înainte de ultima zi a lunii.",
    },
    "ar_over_90": {
        "en": "Open invoices at month end that fell due more than 90 days before the last day "
        "of the month.",
        "fr": "Factures ouvertes en fin de mois échues plus de 90 jours avant le dernier jour "
        "du mois.",
        "ro": "Facturi neîncasate la sfârșitul lunii ajunse la scadență cu peste 90 de zile "
        "înainte de ultima zi a lunii.",
    },
    "sales_marketing_cost": {
        "en": "Sales and marketing cost of the month (SpendData).",
        "fr": "Coûts commerciaux et marketing du mois (SpendData).",
        "ro": "Costurile de vânzări și marketing ale lunii (SpendData).",
    },
    "cac": {
        "en": "sales and marketing cost / new customers of the month.",
        "fr": "coûts commerciaux et marketing / nouveaux clients du mois.",
        "ro": "costuri de vânzări și marketing / clienți noi ai lunii.",
    },
    "ltv": {
        "en": "ARPA x gross margin of the month (SpendData) / customer churn rate; 1 / churn "
        "is the expected lifetime in months.",
        "fr": "ARPA x marge brute du mois (SpendData) / taux d'attrition des clients ; "
        "1 / attrition est la durée de vie attendue en mois.",
        "ro": "ARPA x marja brută a lunii (SpendData) / rata de pierdere a clienților; "
        "1 / pierdere este durata de viață așteptată în luni.",
    },
    "clv_cac": {
        "en": "LTV / CAC. Article 003: 3 or more is healthy, about 2 a thin profit, 1 or less "
        "break-even or a loss.",
        "fr": "LTV / CAC. Article 003 : 3 ou plus est sain, environ 2 un profit mince, 1 ou "
        "moins le point mort ou une perte.",
        "ro": "LTV / CAC. Articolul 003: 3 sau mai mult este sănătos, circa 2 un profit mic, "
        "1 sau mai puțin pragul de rentabilitate sau o pierdere.",
    },
    "cac_payback_months": {
        "en": "CAC / (ARPA x gross margin): months of margin that pay back the cost of winning "
        "a customer.",
        "fr": "CAC / (ARPA x marge brute) : mois de marge nécessaires pour rembourser le coût "
        "d'acquisition d'un client.",
        "ro": "CAC / (ARPA x marja brută): lunile de marjă care recuperează costul de "
        "achiziție a unui client.",
    },
}

KPI_ARTICLES = {
    "crr": ("001", "002"),
    "logo_churn": ("000", "001", "003", "004"),
    "gross_mrr_churn": ("004",),
    "net_mrr_churn": ("004",),
    "mrr_churn": ("000",),
    "expansion": ("001", "004"),
    "expansion_rate": ("004",),
    "revenue_growth": ("000",),
    "arpa": ("001",),
    "mrr_end": ("001", "003"),
    "nps": ("000", "003", "004"),
    "csat": ("003", "004"),
    "ces": ("003", "004"),
    "fcr": ("001",),
    "repeat_purchase_rate": ("000",),
    "return_rate": ("000",),
    "dso": ("000",),
    "cac": ("003",),
    "ltv": ("001", "003"),
    "clv_cac": ("003",),
}
"""The source articles of each KPI; a KPI absent here is a standard SaaS definition."""


class UnknownLabelError(KeyError):
    """A label or definition was asked for a key or a language that has none."""

    def __str__(self):
        return str(self.args[0])


def label(key, lang="en"):
    """Name of a KPI, or a sheet text, in ``lang``.

    Parameters
    ----------
    key : str
        A KPI key of :mod:`csmetrics.kpis` (``"crr"``) or a text key (``"report_month"``).
    lang : str, default "en"
        One of :data:`LANGUAGES`.

    Returns
    -------
    str

    Raises
    ------
    UnknownLabelError
        A ``KeyError`` naming the unknown language or key.

    Examples
    --------
    >>> label("crr", "fr")
    'Taux de fidélisation client'
    >>> label("report_month", "ro")
    'Luna raportului'
    >>> label("crr", "de")
    Traceback (most recent call last):
    ...
    csmetrics.report.labels.UnknownLabelError: unknown language 'de': use one of en, fr, ro
    """
    _check_language(lang)
    if key in KPI_NAMES:
        return KPI_BY_KEY[key].label if lang == "en" else KPI_NAMES[key][lang]
    if key in TEXTS:
        return TEXTS[key][lang]
    raise UnknownLabelError(f"no label for key {key!r}: not a KPI key nor a report text")


def definition(key, lang="en"):
    """A KPI's formula in words, in ``lang``.

    Examples
    --------
    >>> definition("arpa", "fr")
    'MRR en fin de mois / clients en fin de mois.'
    """
    _check_language(lang)
    if key not in DEFINITIONS:
        raise UnknownLabelError(f"no definition for key {key!r}: not a KPI key")
    return DEFINITIONS[key][lang]


def source(key, lang="en"):
    """Where a KPI's formula comes from: its source articles, or a standard definition.

    Examples
    --------
    >>> source("crr", "fr")
    'Articles 001, 002'
    >>> source("dso", "ro")
    'Articolul 000'
    >>> source("quick_ratio", "en")
    'Standard SaaS definition (no source article)'
    """
    _check_language(lang)
    if key not in DEFINITIONS:
        raise UnknownLabelError(f"no source for key {key!r}: not a KPI key")
    articles = KPI_ARTICLES.get(key)
    if not articles:
        return TEXTS["no_article"][lang]
    word = TEXTS["article" if len(articles) == 1 else "articles"][lang]
    return f"{word} {', '.join(articles)}"


def _check_language(lang):
    if lang not in LANGUAGES:
        raise UnknownLabelError(
            f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}"
        )

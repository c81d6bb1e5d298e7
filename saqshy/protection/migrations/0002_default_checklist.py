"""The default protective-security checklist (data; the secretariat edits or extends it in
the admin). Tiers after the UK Terrorism (Protection of Premises) Act 2025: the standard duty
(procedures, training, communication) from 200 people, the enhanced duty (security measures,
a designated senior individual, a documented assessment) from 800."""

from django.db import migrations

ACT = "Terrorism (Protection of Premises) Act 2025"

# code, tier, outdoor only, severity, days to fix, measure, min share, source, en, kk, ru
ITEMS = [
    ("procedures", "standard", False, "critical", 14, "", None, f"{ACT}, s. 5 and sch. 2",
     "Evacuation, invacuation and lockdown procedures written and known to staff",
     "Эвакуация, ғимарат ішіне паналау және жабу тәртібі жазылған, қызметкерлер біледі",
     "Порядок эвакуации, укрытия внутри здания и блокировки описан и известен персоналу"),
    ("staff-training", "standard", False, "major", 30, "", None, f"{ACT}, s. 5",
     "Staff trained in what to do in an attack",
     "Қызметкерлер шабуыл кезінде не істеу керектігін үйренген",
     "Персонал обучен действиям при нападении"),
    ("communication", "standard", False, "major", 30, "", None, f"{ACT}, s. 5",
     "Public address system and staff radios to alert people",
     "Адамдарды хабардар ету үшін дауыс зорайтқыш жүйе және қызметкерлер радиосы бар",
     "Громкоговорящая связь и рации персонала для оповещения людей"),
    ("cctv", "standard", False, "major", 60, "cctv_coverage", 0.5,
     "Saqshy default: at least half of the venue watched",
     "CCTV covers the venue", "Бейнебақылау орынды қамтиды",
     "Видеонаблюдение охватывает объект"),
    ("access-control", "enhanced", False, "critical", 14, "", None, f"{ACT}, s. 6",
     "Access control and search at the entrances",
     "Кіреберістерде кіруді бақылау және тексеру",
     "Контроль доступа и досмотр на входах"),
    ("vehicle-barriers", "enhanced", True, "critical", 7, "", None, f"{ACT}, s. 6",
     "Vehicle barriers around outdoor event areas",
     "Ашық аспан астындағы іс-шара аумағының айналасында көлікке қарсы тосқауылдар",
     "Противотаранные заграждения вокруг площадок под открытым небом"),
    ("responsible-person", "enhanced", False, "critical", 7, "", None, f"{ACT}, s. 8",
     "A designated senior responsible person",
     "Тағайындалған жауапты басшы", "Назначено ответственное руководящее лицо"),
    ("risk-assessment", "enhanced", False, "major", 14, "", None, f"{ACT}, s. 7",
     "Documented risk assessment and security plan",
     "Құжатталған тәуекел бағасы және қауіпсіздік жоспары",
     "Задокументированы оценка рисков и план безопасности"),
]


def create(apps, schema_editor):
    ChecklistItem = apps.get_model("protection", "ChecklistItem")
    for order, row in enumerate(ITEMS, start=1):
        code, tier, outdoor, severity, days, measure, share, source, en, kk, ru = row
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={"tier": tier, "outdoor_only": outdoor, "severity": severity,
                      "days_to_fix": days, "measure": measure, "min_share": share,
                      "source": source, "order": order,
                      "name_en": en, "name_kk": kk, "name_ru": ru},
        )


def remove(apps, schema_editor):
    apps.get_model("protection", "ChecklistItem").objects.filter(
        code__in=[item[0] for item in ITEMS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_assessments_findings")]
    operations = [migrations.RunPython(create, remove)]

"""The default fire-safety checklist (data; regions edit or extend it in the admin)."""

from django.db import migrations

ITEMS = [
    ("fire-alarm", "critical", 3,
     "Fire alarm system works", "Өрт дабылы жүйесі жұмыс істейді",
     "Система пожарной сигнализации исправна"),
    ("extinguishers", "major", 7,
     "Extinguishers present, charged and within inspection date",
     "Өрт сөндіргіштер бар, толтырылған және тексеру мерзімі өтпеген",
     "Огнетушители в наличии, заряжены, срок проверки не истёк"),
    ("hydrant", "major", 7,
     "Nearest hydrant reachable and working", "Жақын гидрантқа жол ашық және ол жұмыс істейді",
     "Ближайший гидрант доступен и исправен"),
    ("exits", "critical", 1,
     "Exits and evacuation routes free and signed",
     "Шығу жолдары мен эвакуация жолдары бос және белгіленген",
     "Эвакуационные выходы и пути свободны и обозначены"),
    ("emergency-lighting", "major", 7,
     "Emergency lighting works", "Апаттық жарықтандыру жұмыс істейді",
     "Аварийное освещение исправно"),
    ("electrical", "major", 7,
     "Electrical installations safe", "Электр қондырғылары қауіпсіз",
     "Электроустановки безопасны"),
    ("pyrotechnics-storage", "critical", 1,
     "Pyrotechnics stored according to the rules",
     "Пиротехника ережеге сай сақталады", "Пиротехника хранится по правилам"),
    ("access-road", "major", 1,
     "Access road for emergency vehicles cleared of snow",
     "Төтенше қызмет көліктеріне арналған кіреберіс жол қардан тазартылған",
     "Подъездной путь для спецтехники очищен от снега"),
    ("staff-briefed", "minor", 14,
     "Staff briefed on fire safety", "Қызметкерлер өрт қауіпсіздігі бойынша нұсқаулықтан өткен",
     "Персонал проинструктирован по пожарной безопасности"),
]


def create(apps, schema_editor):
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    for order, (code, severity, days, en, kk, ru) in enumerate(ITEMS, start=1):
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={"severity": severity, "days_to_fix": days, "order": order,
                      "name_en": en, "name_kk": kk, "name_ru": ru},
        )


def remove(apps, schema_editor):
    apps.get_model("inspections", "ChecklistItem").objects.filter(
        code__in=[item[0] for item in ITEMS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]

"""The sample telegrams: their texts, the look of each scan, and their true fields.

Texts are our own Russian renderings of the seed (Kaganovich, Gorky, 4 Feb 1938) and of the
published fragments in shared/reference/published-texts.md; where a published text stops
([TRUNCATED]) the rest here is invented in the same style and marked so. Headers follow the
cipher-office blanks described there. `truth` holds the values SPEC.md asks for.
"""

import textwrap

WIDTH = 48  # characters per typed line, as on a typewriter


def typed(paragraph: str) -> list[str]:
    return textwrap.wrap(paragraph, WIDTH)


def form(title="ШИФРТЕЛЕГРАММА"):
    """The pre-printed part of a cipher-office blank."""
    return [
        {"text": title, "style": "printed", "align": "center", "size": "large"},
        {"text": "СНЯТИЕ КОПИЙ ВОСПРЕЩАЕТСЯ", "style": "printed", "align": "center", "size": "small"},
        {"text": "Подлежит возврату во 2-ю часть Особого сектора ЦК ВКП(б)",
         "style": "printed", "align": "center", "size": "small"},
        "",
    ]


def q(category, count, kind, additional=None):
    return {"category": category, "count": count, "kind": kind, "additional": additional}


DOCUMENTS = [
    {   # the seed: our rendering of the English text of the Bukovsky-archive telegram
        "doc_id": "gorky_1938_95", "format": "jpg",
        "look": {"skew": 1.2, "light": "gradient", "noise": 0.3, "stamp": "red",
                 "stamp_text": "СЕКРЕТНО", "pencil": True, "dpi": 200},
        "pages": [form() + [
            "Из ГОРЬКОГО",
            "Отправлена 22 ч. 11 м. 4.II.1938 г.",
            "Поступила в ЦК ВКП(б) 23 ч. 50 м. 4.II.1938 г.",
            "Вх. № 95/ш",
            "(в Секретариат ЦК)",
            "Тт. Сталину, Ежову, 2 сектор",
            "",
            "МОСКВА ЦК ВКП(б) тов. СТАЛИНУ",
            "",
            *typed("Работа тройки закончена. В пределах лимита по области осуждено 9.600 "
                   "кулаков, эсеров, повстанцев и прочих антисоветских элементов. Кроме того, "
                   "вскрыты кулацкие и белогвардейские элементы, ведущие подрывную работу. "
                   "Всего по области учтено до девяти тысяч кулацких антисоветских элементов."),
            *typed("Обком ВКП(б) просит дополнительно утвердить лимит по первой категории "
                   "3.000 человек и по второй категории 2.000 человек и продлить срок работы "
                   "тройки до 20 марта."),
            "",
            "Ю. КАГАНОВИЧ",
            "Секретарь обкома ВКП(б)",
        ]],
        "truth": {
            "sent_at": "1938-02-04T22:11", "received_at": "1938-02-04T23:50",
            "reference_number": "95/ш", "origin": "Горький", "sender": "Каганович",
            "sender_position": "секретарь обкома ВКП(б)", "addressees": ["Сталин", "Ежов"],
            "deadline": "1938-03-20", "in_reply_to": None,
            "quotas": [q(None, 9600, "sentenced"), q(None, 9000, "registered"),
                       q(1, 3000, "requested", True), q(2, 2000, "requested", True)],
        },
    },
    {   # Bulatov's reply to П51/94 (published fragment; header invented)
        "doc_id": "omsk_1937_217", "format": "png",
        "look": {"skew": -0.8, "noise": 0.4, "stamp": "violet", "stamp_text": "СОВ. СЕКРЕТНО",
                 "dpi": 200, "font": "liberation"},
        "pages": [form() + [
            "Из ОМСКА",
            "Отправлена 18 час. 40 мин. 10.VII.1937 г.",
            "Поступила в ЦК ВКП(б) 11.VII.1937 г. в 2 час. 15 мин.",
            "№ 217/ш",
            "",
            "ЦК ВКП(б) тов. СТАЛИНУ",
            "",
            "На № П51/94.",
            *typed("Всего подлежит репрессии, по неполным данным (отдельные отдаленные районы "
                   "сведения не представили), 2429 человек, из них: по первой категории 479, "
                   "по второй категории 1959 человек."),
            "",
            "Секретарь Омского обкома ВКП(б) БУЛАТОВ",
        ]],
        "truth": {
            "sent_at": "1937-07-10T18:40", "received_at": "1937-07-11T02:15",
            "reference_number": "217/ш", "origin": "Омск", "sender": "Булатов",
            "sender_position": "секретарь омского обкома ВКП(б)", "addressees": ["Сталин"],
            "deadline": None, "in_reply_to": "П51/94",
            "quotas": [q(None, 2429, "requested"), q(1, 479, "requested"),
                       q(2, 1959, "requested")],
        },
    },
    {   # Eikhe from Novosibirsk (published fragment; header invented)
        "doc_id": "novosibirsk_1937_1152", "format": "tif",
        "look": {"skew": -2.0, "bed": True, "light": "gradient", "noise": 0.3, "dpi": 200},
        "pages": [form() + [
            "Из НОВОСИБИРСКА",
            "Отправлена 8.VII.1937 г. в 14 час. 05 мин.",
            "Вх. № 1152/ш",
            "",
            "МОСКВА ЦК ВКП(б) тов. СТАЛИНУ",
            "",
            *typed("По ориентировочным данным, поступившим от ПО районов, беглых кулаков и "
                   "уголовников числится 25 тысяч человек, из них наиболее враждебными и "
                   "активными являются 6600 кулаков и 4200 уголовников, которых нужно "
                   "расстрелять."),
            "",
            "Секретарь Запсибкрайкома ВКП(б) ЭЙХЕ",
        ]],
        "truth": {
            "sent_at": "1937-07-08T14:05", "received_at": None,
            "reference_number": "1152/ш", "origin": "Новосибирск", "sender": "Эйхе",
            "sender_position": "секретарь запсибкрайкома ВКП(б)", "addressees": ["Сталин"],
            "deadline": None, "in_reply_to": None,
            "quotas": [q(None, 25000, "registered"), q(1, 6600, "requested"),
                       q(1, 4200, "requested")],
        },
    },
    {   # Nasedkin's memorandum (published up to "было арес"; the rest invented); two pages
        "doc_id": "minsk_1938_43074", "format": "pdf",
        "look": {"skew": 0.5, "noise": 0.2, "stamp": "blue", "stamp_text": "ВХ. НКВД СССР",
                 "dpi": 200},
        "pages": [
            [
                {"text": "Совершенно секретно", "style": "typed", "align": "right"},
                "",
                "Минск",
                "18 сентября 1938 г.",
                "",
                "МЕМОРАНДУМ № 43074",
                "",
                "Народному комиссару внутренних дел",
                "Союза ССР тов. ЕЖОВУ",
                "",
                "На № 37417",
                "",
                *typed("Операция по приказу № 00485 и другим ввиду особой засоренности в "
                       "Белоруссии была на основе Ваших личных указаний продлена нами до "
                       "1 сентября с.г. В результате за август м-ц с.г. было арестовано "
                       "2.625 человек."),
            ],
            [
                *typed("Прошу разрешить рассмотреть их дела на тройке, из них по 1 категории "
                       "1.200 и по 2 категории 1.425 человек, и продлить срок работы тройки "
                       "до 15 октября."),
                "",
                "Народный комиссар внутренних дел БССР",
                "НАСЕДКИН",
            ],
        ],
        "truth": {
            "sent_at": "1938-09-18", "received_at": None,
            "reference_number": "43074", "origin": "Минск", "sender": "Наседкин",
            "sender_position": "народный комиссар внутренних дел БССР", "addressees": ["Ежов"],
            "deadline": "1938-10-15", "in_reply_to": "37417",
            "quotas": [q(None, 2625, "other"), q(1, 1200, "requested"),
                       q(2, 1425, "requested")],
        },
    },
    {   # the Armenian request (published sentence; header and signatures invented)
        "doc_id": "erevan_1937_1893", "format": "jpg",
        "look": {"skew": 2.5, "noise": 0.3, "pencil": True, "fold": True, "dpi": 200},
        "pages": [form() + [
            "Из ЕРЕВАНА",
            "Отправлена 20/IX — 37 г. в 23 час. 10 мин.",
            "Поступила в ЦК ВКП(б) 21/IX — 37 г. в 4 час. 30 мин.",
            "№ 1893/ш",
            "",
            "Москва, ЦК ВКП(б) тт. Сталину, Ежову",
            "",
            *typed("Для действительной очистки Армении просим разрешить дополнительно "
                   "расстрелять 700 человек из дашнаков и прочих антисоветских элементов."),
            "",
            "МИКОЯН, МАЛЕНКОВ",
        ]],
        "truth": {
            "sent_at": "1937-09-20T23:10", "received_at": "1937-09-21T04:30",
            "reference_number": "1893/ш", "origin": "Ереван", "sender": "Микоян",
            "sender_position": None, "addressees": ["Сталин", "Ежов"],
            "deadline": None, "in_reply_to": None,
            "quotas": [q(1, 700, "requested", True)],
        },
    },
    {   # Yezhov's note to Stalin on the same request (published sentence; rest invented)
        "doc_id": "moscow_1937_yezhov", "format": "png",
        "look": {"skew": -1.5, "noise": 0.25, "stamp": "red", "stamp_text": "ЗА. И.СТ.",
                 "dpi": 200, "font": "liberation"},
        "pages": [[
            {"text": "Сов. секретно", "style": "typed", "align": "right"},
            "",
            "22 сентября 1937 г.",
            "№ 61283",
            "",
            "СЕКРЕТАРЮ ЦК ВКП(б) тов. СТАЛИНУ",
            "",
            *typed("Секретарь ЦК КП(б) Армении просит разрешить дополнительно расстрелять "
                   "700 человек из дашнаков и прочих антисоветских элементов."),
            *typed("Предлагаю расстрелять дополнительно 1500 человек, а всего с ранее "
                   "утвержденной цифрой 2000 человек."),
            "",
            "Народный комиссар внутренних дел Союза ССР",
            "ЕЖОВ",
        ]],
        "truth": {
            "sent_at": "1937-09-22", "received_at": None,
            "reference_number": "61283", "origin": None, "sender": "Ежов",
            "sender_position": "народный комиссар внутренних дел союза ССР",
            "addressees": ["Сталин"], "deadline": None, "in_reply_to": None,
            "quotas": [q(1, 700, "requested", True), q(1, 1500, "requested", True),
                       q(1, 2000, "requested", False)],
        },
    },
    {   # Turkmenistan's reply (published closing part; header invented)
        "doc_id": "ashkhabad_1937_604", "format": "tif",
        "look": {"skew": 0.9, "noise": 0.5, "light": "gradient", "stamp": "violet",
                 "dpi": 200},
        "pages": [form() + [
            "Из АШХАБАДА",
            "Отправлена 7.VII.1937 г. в 20 час. 35 мин.",
            "Поступила для расшифрования 8.VII.1937 г. в 1 час. 20 мин.",
            "№ 604/ш",
            "",
            "МОСКВА ЦК ВКП(б) тов. СТАЛИНУ",
            "",
            *typed("Реэмигрировавшие из Ирана и Афганистана бывшие бандглавари, "
                   "бандпособники, рядовые активные басмачи, активные контрабандисты. "
                   "ЦК КП(б) Туркменистана считает необходимым включение этих контингентов "
                   "для репрессии и высылки. Их насчитывается ориентировочно около "
                   "3 тысяч человек."),
            "",
            "Секретарь ЦК КП(б) Туркменистана АННА-МУХАМЕДОВ",
        ]],
        "truth": {
            "sent_at": "1937-07-07T20:35", "received_at": "1937-07-08T01:20",
            "reference_number": "604/ш", "origin": "Ашхабад", "sender": "Анна-Мухамедов",
            "sender_position": "секретарь ЦК КП(б) Туркменистана", "addressees": ["Сталин"],
            "deadline": None, "in_reply_to": None,
            "quotas": [q(None, 3000, "registered")],
        },
    },
    {   # invented in the genre: Yaroslavl, photographed with a phone
        "doc_id": "yaroslavl_1937_1267", "format": "jpg",
        "look": {"skew": -1.0, "light": "shadow", "blur": 0.8, "perspective": 0.015,
                 "noise": 0.3, "dpi": 200, "jpeg_quality": 80},
        "pages": [form() + [
            "Из ЯРОСЛАВЛЯ",
            "Отправлена 16/VII — 37 г. в 21 час. 54 мин.",
            "№ 1267/ш",
            "",
            "ЦК ВКП(б) тов. СТАЛИНУ",
            "",
            *typed("Всего по области учтено 4 тыс. кулаков и уголовников, из них по первой "
                   "категории 1.500, по второй категории 2.500 человек. Просим утвердить "
                   "состав тройки и лимит."),
            "",
            "Секретарь Ярославского обкома ВКП(б) ЗИМИН",
        ]],
        "truth": {
            "sent_at": "1937-07-16T21:54", "received_at": None,
            "reference_number": "1267/ш", "origin": "Ярославль", "sender": "Зимин",
            "sender_position": "секретарь ярославского обкома ВКП(б)", "addressees": ["Сталин"],
            "deadline": None, "in_reply_to": None,
            "quotas": [q(None, 4000, "registered"), q(1, 1500, "registered"),
                       q(2, 2500, "registered")],
        },
    },
    {   # invented in the genre: an NKVD chief to Yezhov, on a dark scanner bed
        "doc_id": "sverdlovsk_1938_388", "format": "png",
        "look": {"skew": 1.8, "bed": True, "noise": 0.35, "stamp": "red", "pencil": True,
                 "dpi": 200},
        "pages": [form() + [
            "Из СВЕРДЛОВСКА",
            "Отправлена 16 час. 20 мин. 12.02.1938 г.",
            "Поступила в НКВД СССР 12.02.1938 г. в 21 час. 05 мин.",
            "№ 388/ш",
            "",
            "НКВД СССР — тов. ЕЖОВУ",
            "",
            *typed("Всего с начала операции арестовано 41 305 человек, из них осуждено "
                   "тройкой по первой категории 13 тыс., по второй категории 16 тыс. человек."),
            *typed("Просим дополнительно разрешить лимит подлежащих расстрелу 5 тыс. человек "
                   "и работу тройки закончить к 15 апреля."),
            "",
            "Начальник УНКВД ДМИТРИЕВ",
        ]],
        "truth": {
            "sent_at": "1938-02-12T16:20", "received_at": "1938-02-12T21:05",
            "reference_number": "388/ш", "origin": "Свердловск", "sender": "Дмитриев",
            "sender_position": "начальник УНКВД", "addressees": ["Ежов"],
            "deadline": "1938-04-15", "in_reply_to": None,
            "quotas": [q(None, 41305, "other"), q(1, 13000, "sentenced"),
                       q(2, 16000, "sentenced"), q(1, 5000, "requested", True)],
        },
    },
]

"""The demo site in Traditional Chinese (as written in Hong Kong)."""

PAGES = {
    "home": {
        "title": "在香港學習、成長、融入社區",
        "intro": (
            "為難民及尋求庇護人士而設的免費課程：英文、GED、IELTS、電腦、攝影、"
            "工作實習，以及兒童功課輔導。"
        ),
        "who_we_serve": (
            "<p>我們歡迎在香港尋求保護的成人、青年和兒童，無論你說甚麼語言、讀過多少書。</p>"
        ),
        "get_help": (
            "<p>星期一至六可到接待處找我們，或傳 WhatsApp 訊息給我們。可以安排傳譯員協助你。</p>"
        ),
    },
    "courses": {
        "title": "課程",
        "intro": "<p>所有課程都是免費的。可按科目、日子或程度篩選。</p>",
    },
    "story-amina": {
        "title": "由第一句英文到第一份工作",
        "quote": "老師很有耐心。現在我幫助新來的學員。",
    },
}

COURSE_BODY = (
    "<p>課程免費，小班教學，氣氛友善。請帶一本筆記簿；我們可借出筆、書和手提電腦。"
    "你上課時，孩子可以留在功課室。</p>"
    "<p>不知道哪一班適合你？請到接待處，我們會和你一起選擇，如有需要可安排傳譯員。</p>"
)

COURSES = {
    "english-starters": (
        "初學英文",
        "學習字母、數字，以及在商店、診所和巴士上用到的日常詞語。",
    ),
    "english-a1": (
        "英文 A1：日常英文",
        "用簡單英文介紹自己、填寫表格、談談你的一天。",
    ),
    "english-a2": (
        "英文 A2：自信地說英文",
        "與合作機構的老師一起練習對話、打電話和預約。",
    ),
    "english-b1-youth": (
        "青年英文 B1",
        "為 15 至 24 歲學員而設的閱讀、寫作和演講課。",
    ),
    "ged-preparation": (
        "GED 預備班",
        "準備 GED 四個科目：數學、科學、社會研究和語文。",
    ),
    "ielts-preparation": (
        "IELTS 預備班",
        "為 IELTS 考試練習聆聽、閱讀、寫作和口語。",
    ),
    "computer-first-steps": (
        "電腦入門",
        "學用滑鼠和鍵盤、發電郵、寫履歷，並安全上網。",
    ),
    "photography-beginners": (
        "攝影入門",
        "用手機相機說故事：光線、構圖和修圖。",
    ),
    "warehouse-training": (
        "倉務培訓及實習",
        "工作安全、貨物處理，並在物流合作機構有導師指導下實習。",
    ),
    "homework-club": (
        "課後功課班",
        "安靜的地方和義工導師幫助完成學校功課，還有小食。",
    ),
}

# The subjects, by slug.
CATEGORIES = {
    "english": "英文",
    "ged": "GED",
    "ielts": "IELTS",
    "computer-literacy": "電腦基礎",
    "photography": "攝影",
    "vocational": "職業培訓",
    "homework-support": "功課輔導",
}

# The venues, by key: name, address, district, how to get there, accessibility. Addresses are
# written the Hong Kong Chinese way, largest place first.
VENUES = {
    "ssp": (
        "總中心",
        "深水埗元州街128號3樓",
        "深水埗",
        "港鐵深水埗站 A2 出口，沿元州街步行兩分鐘。",
        "有升降機到三樓，設有無障礙洗手間。",
    ),
    "ymt": (
        "油麻地課室",
        "油麻地眾坊街22號5室",
        "油麻地",
        "港鐵油麻地站 C 出口，步行五分鐘，經過天后廟。",
        "地下，門口有一級小台階。可向我們借斜板。",
    ),
    "kc": (
        "葵涌合作倉庫",
        "葵涌葵豐街45號9號單位",
        "葵涌",
        "港鐵葵芳站 E 出口，沿葵豐街步行十分鐘。",
        "有載貨升降機到倉庫樓層。門口可借安全鞋。",
    ),
}

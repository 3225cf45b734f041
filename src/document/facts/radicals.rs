//! CJK radicals folded to the unified ideographs they stand for. Some Chinese systems write
//! PDFs whose text layer uses the radical code points for common characters (`某市第⼀⼈⺠医院`
//! with U+2F00 KANGXI RADICAL ONE, U+2F08 MAN, U+2EA0 CJK RADICAL CIVILIAN): they look the same
//! on the page but match no word. Both tables come from the Unicode standard:
//! - Kangxi Radicals (U+2F00–U+2FD5): each one's compatibility decomposition (its NFKC form);
//! - CJK Radicals Supplement (U+2E80–U+2EF3): the `Equivalent_Unified_Ideograph` property, from
//!   the Unicode Character Database file `EquivalentUnifiedIdeograph.txt` (Unicode 14.0, the
//!   lines for U+2E81–U+2EF3). Where it gives none (U+2E80, and U+2E9A, unassigned) the table
//!   holds `\0` and the radical stays as it is.
//!
//! (The Kangxi block's mappings in that file are the same as their NFKC forms.)

/// The unified ideograph a radical stands for, when `c` is one that has it.
pub(super) fn unified(c: char) -> Option<char> {
    let found = match c {
        '\u{2E80}'..='\u{2EF3}' => SUPPLEMENT[c as usize - 0x2E80],
        '\u{2F00}'..='\u{2FD5}' => KANGXI[c as usize - 0x2F00],
        _ => return None,
    };
    (found != '\0').then_some(found)
}

/// U+2E80..=U+2EF3 in order.
const SUPPLEMENT: [char; 116] = [
    '\0', '厂', '乛', '乚', '乙', '亻', '冂', '𠘨', '刀', '刂', '卜', '㔾', '小', '小', '兀', '尣',
    '尢', '𡯂', '巳', '幺', '彑', '彐', '忄', '心', '扌', '攵', '\0', '旡', '日', '月', '歺', '母',
    '民', '氵', '氺', '灬', '爫', '爫', '丬', '牛', '犭', '王', '𤴔', '目', '示', '礻', '𥫗', '糹',
    '纟', '罓', '罒', '㓁', '冗', '𦉫', '羊', '𦍌', '𦍋', '耂', '肀', '聿', '肉', '𦥑', '艹', '艹',
    '艹', '虎', '衤', '覀', '西', '见', '角', '𧢲', '讠', '贝', '𧾷', '车', '辶', '辶', '辶', '邑',
    '钅', '長', '镸', '长', '门', '𨸏', '阝', '雨', '青', '韦', '页', '风', '飞', '食', '𩙿', '飠',
    '饣', '𩠐', '马', '骨', '鬼', '鱼', '鸟', '卤', '麦', '黄', '黾', '斉', '齐', '歯', '齿', '竜',
    '龙', '龜', '亀', '龟',
];

/// U+2F00..=U+2FD5 in order.
const KANGXI: [char; 214] = [
    '一', '丨', '丶', '丿', '乙', '亅', '二', '亠', '人', '儿', '入', '八', '冂', '冖', '冫', '几',
    '凵', '刀', '力', '勹', '匕', '匚', '匸', '十', '卜', '卩', '厂', '厶', '又', '口', '囗', '土',
    '士', '夂', '夊', '夕', '大', '女', '子', '宀', '寸', '小', '尢', '尸', '屮', '山', '巛', '工',
    '己', '巾', '干', '幺', '广', '廴', '廾', '弋', '弓', '彐', '彡', '彳', '心', '戈', '戶', '手',
    '支', '攴', '文', '斗', '斤', '方', '无', '日', '曰', '月', '木', '欠', '止', '歹', '殳', '毋',
    '比', '毛', '氏', '气', '水', '火', '爪', '父', '爻', '爿', '片', '牙', '牛', '犬', '玄', '玉',
    '瓜', '瓦', '甘', '生', '用', '田', '疋', '疒', '癶', '白', '皮', '皿', '目', '矛', '矢', '石',
    '示', '禸', '禾', '穴', '立', '竹', '米', '糸', '缶', '网', '羊', '羽', '老', '而', '耒', '耳',
    '聿', '肉', '臣', '自', '至', '臼', '舌', '舛', '舟', '艮', '色', '艸', '虍', '虫', '血', '行',
    '衣', '襾', '見', '角', '言', '谷', '豆', '豕', '豸', '貝', '赤', '走', '足', '身', '車', '辛',
    '辰', '辵', '邑', '酉', '釆', '里', '金', '長', '門', '阜', '隶', '隹', '雨', '靑', '非', '面',
    '革', '韋', '韭', '音', '頁', '風', '飛', '食', '首', '香', '馬', '骨', '高', '髟', '鬥', '鬯',
    '鬲', '鬼', '魚', '鳥', '鹵', '鹿', '麥', '麻', '黃', '黍', '黑', '黹', '黽', '鼎', '鼓', '鼠',
    '鼻', '齊', '齒', '龍', '龜', '龠',
];

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn kangxi_radicals_are_their_nfkc_forms() {
        for cp in 0x2F00..=0x2FD5 {
            let c = char::from_u32(cp).unwrap();
            let nfkc: String = c.nfkc().collect();
            assert_eq!(unified(c).map(String::from), Some(nfkc), "U+{cp:04X}");
        }
    }

    #[test]
    fn supplement_radicals_as_the_standard_says() {
        // Lines of EquivalentUnifiedIdeograph.txt, written as code points; the two with an
        // NFKC form (U+2E9F, U+2EF3) are checked against it too.
        for (radical, ideograph) in [
            (0x2E81, 0x5382),
            (0x2E87, 0x20628),
            (0x2E8D, 0x5C0F),
            (0x2EA0, 0x6C11),
            (0x2EC5, 0x89C1),
            (0x2ECE, 0x8FB6),
            (0x2ED3, 0x957F),
            (0x2EE5, 0x9C7C),
            (0x2EF3, 0x9F9F),
        ] {
            let r = char::from_u32(radical).unwrap();
            assert_eq!(unified(r), char::from_u32(ideograph), "U+{radical:04X}");
        }
        for cp in [0x2E9F, 0x2EF3] {
            let c = char::from_u32(cp).unwrap();
            assert_eq!(unified(c).map(String::from), Some(c.nfkc().collect()));
        }
        // No equivalent (U+2E80), unassigned (U+2E9A), and the blocks' neighbours.
        for cp in [0x2E80, 0x2E9A, 0x2E7F, 0x2EF4, 0x2FD6, 0x4E00] {
            assert_eq!(unified(char::from_u32(cp).unwrap()), None, "U+{cp:04X}");
        }
    }
}

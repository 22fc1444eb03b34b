/**
 * A small RFC 4180 reader for checking exports independently of the writer: fields split on
 * commas, quoted fields may hold commas, quotes (doubled) and line breaks; records end with CRLF
 * or LF. An unquoted empty field reads as `null`, a quoted empty field (`""`) as `''`.
 */
export function parseCsv(text: string): Array<Array<string | null>> {
  const records: Array<Array<string | null>> = [];
  let record: Array<string | null> = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        value += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        value += '"';
        i++;
      }
      field = value;
    } else {
      const end = text.slice(i).search(/,|\r?\n/);
      const value = end < 0 ? text.slice(i) : text.slice(i, i + end);
      i += value.length;
      field = value === '' ? null : value;
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) i += 2;
    else if (text[i] === '\n') i++;
    else if (i < text.length) throw new Error(`unexpected character after field at ${i}`);
    records.push(record);
    record = [];
  }
  return records;
}

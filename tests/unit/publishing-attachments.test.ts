import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  attachmentType,
  attachmentTypeLabel,
  cleanAttachmentName,
  formatFileSize,
  servedMediaType,
} from '../../src/lib/publishing/attachments';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
/** The Compound File Binary signature old Word/Excel and WPS files begin with. */
const COMPOUND = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);

async function detected(bytes: Buffer): Promise<string | null> {
  return (await fileTypeFromBuffer(bytes))?.mime ?? null;
}

describe('attachment types, from the bytes', () => {
  it('takes a PDF whatever it is called', async () => {
    expect(attachmentType(await detected(PDF), '公告.doc')).toEqual({
      ok: true,
      mediaType: 'application/pdf',
      extension: 'pdf',
    });
  });

  it('takes an .xlsx written by a real spreadsheet writer', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('不合格产品').addRow(['产品名称', '商标']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    expect(attachmentType(await detected(bytes), 'x.xlsx')).toMatchObject({ ok: true, extension: 'xlsx' });
  });

  it('tells old Word, Excel and WPS files apart by their extension only when the bytes are a compound file', async () => {
    const mime = await detected(COMPOUND);
    expect(mime).toBe('application/x-cfb');
    expect(attachmentType(mime, '通告.DOC')).toEqual({ ok: true, mediaType: 'application/msword', extension: 'doc' });
    expect(attachmentType(mime, '明细.xls')).toMatchObject({ ok: true, extension: 'xls' });
    expect(attachmentType(mime, '明细.et')).toMatchObject({ ok: true, extension: 'et' });
    expect(attachmentType(mime, '宏.exe')).toEqual({ ok: false });
  });

  it('refuses HTML, scripts, images and unknown bytes, whatever the name says', async () => {
    expect(attachmentType(await detected(Buffer.from('<html><script>alert(1)</script></html>')), 'a.pdf')).toEqual({
      ok: false,
    });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    expect(attachmentType(await detected(png), 'a.pdf')).toEqual({ ok: false });
    expect(attachmentType(null, 'a.docx')).toEqual({ ok: false });
  });
});

describe('attachment names', () => {
  it('keeps the Chinese name, drops folders and reserved characters, and takes the real extension', () => {
    expect(cleanAttachmentName('C:\\Users\\wang\\2027年第1期 抽查公告.doc', 'pdf')).toBe('2027年第1期 抽查公告.pdf');
    expect(cleanAttachmentName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(cleanAttachmentName('a<b>:"c|?*\u0000\n.pdf', 'pdf')).toBe('abc.pdf');
    expect(cleanAttachmentName('...', 'xlsx')).toBe('附件.xlsx');
  });

  it('cuts long names to 80 characters, extension included', () => {
    const name = cleanAttachmentName(`${'抽'.repeat(200)}.pdf`, 'pdf');
    expect([...name]).toHaveLength(80);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('download headers', () => {
  it('always say attachment, with an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('抽查公告.pdf')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('抽查公告.pdf')}`,
    );
  });

  it('send only known document types', () => {
    expect(servedMediaType('application/pdf')).toBe('application/pdf');
    expect(servedMediaType('text/html')).toBe('application/octet-stream');
  });
});

describe('how an attachment is listed', () => {
  it('gives the size in B, KB or MB', () => {
    expect(formatFileSize(0)).toBe('0 B');
    expect(formatFileSize(1023)).toBe('1023 B');
    expect(formatFileSize(1536)).toBe('1.5 KB');
    expect(formatFileSize(20 * 1024 * 1024)).toBe('20.0 MB');
    expect(formatFileSize(3 * 1024 ** 3)).toBe('3072.0 MB');
  });

  it('names the kind of document people know, and 文件 for anything else', () => {
    expect(attachmentTypeLabel('application/pdf')).toBe('PDF');
    expect(attachmentTypeLabel('application/msword')).toBe('Word');
    expect(attachmentTypeLabel('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('Excel');
    expect(attachmentTypeLabel('application/vnd.ms-works')).toBe('WPS');
    expect(attachmentTypeLabel('application/octet-stream')).toBe('文件');
  });
});

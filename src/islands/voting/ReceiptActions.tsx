/**
 * "复制编号" and "打印回执" buttons. They need JavaScript, so they render nothing on the server and
 * appear only once hydrated: a button that cannot work is never offered (the number stays selectable text).
 * WeChat's in-app browser cannot print, so there 打印回执 is not offered either.
 */
import { useEffect, useState } from 'preact/hooks';

interface Props {
  ballotId: string;
}

export default function ReceiptActions({ ballotId }: Props) {
  const [ready, setReady] = useState(false);
  const [canPrint, setCanPrint] = useState(false);
  const [copyStatus, setCopyStatus] = useState('');
  useEffect(() => {
    setCanPrint(!/MicroMessenger/i.test(navigator.userAgent));
    setReady(true);
  }, []);
  if (!ready) return null;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(ballotId);
      setCopyStatus('已复制投票编号。');
    } catch {
      setCopyStatus('这台设备不允许自动复制，请长按编号手动复制，或把它抄下来。');
    }
  };

  return (
    <div class="receipt-actions">
      <button type="button" class="button-secondary" onClick={copy}>
        复制编号
      </button>
      {canPrint && (
        <button type="button" class="button-secondary" onClick={() => window.print()}>
          打印回执
        </button>
      )}
      <p role="status" class="receipt-copy-status">
        {copyStatus}
      </p>
    </div>
  );
}

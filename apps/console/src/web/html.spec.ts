import { SafeHtml, escapeHtml, html } from './html';

describe('html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = `<script>alert("x")</script>' onload='x`;
    const out = html`<p title="${evil}">${evil}</p>`.toString();
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;x</p>',
    );
  });

  it('nests templates without escaping them twice, joins arrays and leaves out empty values', () => {
    const items = ['a&b', 'c'].map((x) => html`<li>${x}</li>`);
    // prettier-ignore
    const out = html`<ul>${items}</ul>${null}${undefined}${false}${0}`.toString();
    expect(out).toBe('<ul><li>a&amp;b</li><li>c</li></ul>0');
  });

  it('escapes a string that looks like markup even when it came from a service', () => {
    expect(escapeHtml('`&"\'<>')).toBe('&#96;&amp;&quot;&#39;&lt;&gt;');
    expect(html`${'<b>'}`).toBeInstanceOf(SafeHtml);
  });
});

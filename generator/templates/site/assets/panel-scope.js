/*! Material for MkDocs 9.8.2 (MIT licence, Copyright (c) 2016-2025 Martin Donath), an inline
 * script of its templates moved to a file by the panel generator, so that the Content-Security-Policy
 * runs no inline script (overrides/partials/javascripts/). */
(function(){var scope=document.currentScript.dataset.scope;
__md_scope=new URL(scope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
})();
